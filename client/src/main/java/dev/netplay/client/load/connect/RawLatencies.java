package dev.netplay.client.load.connect;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Every latency of the measured windows, in ns, kept as recorded ({@code --raw-latencies FILE}): to check a
 * histogram's percentiles, or a merge's, against the samples themselves. Recorded while a window is open (switched
 * with the recorders' own cuts, so a sample at the very edge may fall on the other side of one). Bounded: past
 * {@link #MAX_VALUES} a window's later samples are counted, not kept, and the file says so.
 */
public final class RawLatencies {
    /** 8 bytes each: 40 MiB at most, the samples of 5 million requests per window. */
    public static final int MAX_VALUES = 5_000_000;

    private final Path file;
    private long[] values = new long[1024];
    private int size;
    private long dropped;
    private volatile boolean open;

    public RawLatencies(Path file) throws IOException {
        this.file = file;
        Files.writeString(file, "# netplay raw latencies: ns, one request per line, the measured windows only\n",
                StandardCharsets.US_ASCII);
    }

    public void open() {
        synchronized (this) {
            size = 0;
            dropped = 0;
        }
        open = true;
    }

    public void close() {
        open = false;
    }

    void record(long nanos) {
        if (!open) {
            return;
        }
        synchronized (this) {
            if (size == MAX_VALUES) {
                dropped++;
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.min(MAX_VALUES, values.length * 2));
            }
            values[size++] = nanos;
        }
    }

    /** Appends the last window's samples under a line naming its level. */
    public synchronized void append(String target, int level) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.APPEND)) {
            w.write("# " + target + " " + level + " connections: " + size + " samples"
                    + (dropped > 0 ? ", " + dropped + " more not kept (past " + MAX_VALUES + ")" : "") + "\n");
            for (int i = 0; i < size; i++) {
                w.write(Long.toString(values[i]));
                w.write('\n');
            }
        }
    }
}
