package dev.netplay.common.protocol;

import java.io.IOException;
import java.io.OutputStream;

/** The payload of {@code DATA n}: byte i is {@code 'a' + (i % 26)}, so a client can verify every byte it gets. */
public final class DataPattern {
    private static final int ALPHABET = 26;
    /** Size of one slice handed to a writer. */
    public static final int CHUNK_BYTES = 64 * 1024; // 64 KiB
    /** Pattern bytes long enough that a chunk may start at any phase of the alphabet. */
    private static final byte[] PATTERN = new byte[CHUNK_BYTES + ALPHABET];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = expectedByte(i);
        }
    }

    private DataPattern() {
    }

    public static byte expectedByte(long index) {
        return (byte) ('a' + (int) (index % ALPHABET));
    }

    /** The shared, read-only pattern array; bytes from {@link #offsetFor(long)} on continue the payload at index. */
    public static byte[] array() {
        return PATTERN;
    }

    public static int offsetFor(long index) {
        return (int) (index % ALPHABET);
    }

    /** Writes payload bytes {@code [0, length)} in chunks; the stream's own blocking is the backpressure. */
    public static void writeTo(OutputStream out, long length) throws IOException {
        long written = 0;
        while (written < length) {
            int chunk = (int) Math.min(CHUNK_BYTES, length - written);
            out.write(PATTERN, offsetFor(written), chunk);
            written += chunk;
        }
    }
}
