package dev.netplay.server.core;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A costly reading done at most once per interval server-wide: callers in between share the last result, so that
 * no client can make the server pay for it in a loop (a full collection, a read of two files per thread).
 * Thread-safe; a caller that arrives while the reading runs waits for it and shares it.
 */
public final class SharedReading<T> {
    /** At most one full collection, or one scheduler reading, a second. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private final long intervalNanos;
    private T last;
    private long lastNanos;
    private boolean done;
    private long shared;

    public SharedReading(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** A reading: {@code fresh} is false when it is the last one's, shared. */
    public record Result<T>(T value, boolean fresh) {
    }

    public synchronized Result<T> get(Supplier<T> read) {
        long now = System.nanoTime();
        if (done && now - lastNanos < intervalNanos) {
            shared++;
            return new Result<>(last, false);
        }
        last = read.get();
        lastNanos = System.nanoTime();
        done = true;
        return new Result<>(last, true);
    }

    /** How many callers shared an earlier reading. */
    public synchronized long sharedCount() {
        return shared;
    }
}
