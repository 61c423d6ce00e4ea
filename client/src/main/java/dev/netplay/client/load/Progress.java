package dev.netplay.client.load;

import java.io.PrintStream;

/**
 * The live progress line: on a terminal, rewritten in place a few times a second; otherwise only one plain line
 * per finished level, so logs stay readable.
 */
public final class Progress {
    private static final long MIN_REDRAW_NANOS = 250_000_000; // 4 per second
    /** Requests per second are averaged over at least this long. */
    private static final long RATE_WINDOW_NANOS = 1_000_000_000;

    private final PrintStream out;
    private final boolean live;
    private long lastDraw;
    private long rateAt = System.nanoTime();
    private long rateCount;
    private double rate;

    public Progress(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    /** Live when a terminal is attached (System.console()), else one plain line per level. */
    public static Progress forConsole(PrintStream out) {
        return new Progress(out, System.console() != null);
    }

    void update(String line) {
        long now = System.nanoTime();
        if (!live || now - lastDraw < MIN_REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        out.print("\r\033[K" + line);
        out.flush();
    }

    void levelDone(String line) {
        out.print(live ? "\r\033[K" + line + System.lineSeparator() : line + System.lineSeparator());
        out.flush();
    }

    /** Requests per second from the cumulative count, over the last second or so. */
    double rate(long completed) {
        long now = System.nanoTime();
        if (now - rateAt >= RATE_WINDOW_NANOS) {
            rate = (completed - rateCount) * 1e9 / (now - rateAt);
            rateAt = now;
            rateCount = completed;
        }
        return rate;
    }
}
