package dev.netplay.server.core;


import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** The waits, on shutdown: for requests in flight, then for the stopping errors to leave. */
public final class GracePeriod {
    private static final long POLL_NANOS = 10_000_000; // 10 ms

    private GracePeriod() {
    }

    /** How long the stopping errors may take to leave before every connection is closed regardless. */
    public static final Duration STOP_WRITE_WAIT = Duration.ofSeconds(2);

    /** Waits until every connection has closed (each after its stopping errors) or {@link #STOP_WRITE_WAIT} passes. */
    public static void awaitDisconnected(ServerStats stats) {
        long deadline = System.nanoTime() + STOP_WRITE_WAIT.toNanos();
        while (stats.connectedClients() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL_NANOS);
        }
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
