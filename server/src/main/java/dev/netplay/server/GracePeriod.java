package dev.netplay.server;

import dev.netplay.common.protocol.ServerStats;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** The wait, on shutdown, for requests in flight. */
public final class GracePeriod {
    private static final long POLL_NANOS = 10_000_000; // 10 ms

    private GracePeriod() {
    }

    /** Waits until no request is in flight or {@code grace} has passed; true if none was left. */
    public static boolean await(ServerStats stats, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (stats.requestsInFlight() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL_NANOS);
        }
        return stats.requestsInFlight() == 0;
    }
}
