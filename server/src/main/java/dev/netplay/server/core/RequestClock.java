package dev.netplay.server.core;

/**
 * When the request a connection is receiving began to arrive: the clock of {@link ServerGuards#requestTimeout()}.
 * It starts when a request is partly received, stops when none is, and starts again while the server itself holds
 * the client back (not reading), so that only the client's own slowness counts. Used by one thread at a time.
 */
public final class RequestClock {
    private boolean running;
    private long sinceNanos;

    /** After bytes were parsed: {@code partial} when a request is partly received. */
    public void update(boolean partial, long nowNanos) {
        if (!partial) {
            running = false;
        } else if (!running) {
            running = true;
            sinceNanos = nowNanos;
        }
    }

    /** The server is not reading this connection now: the client's time starts again when it does. */
    public void restart(long nowNanos) {
        if (running) {
            sinceNanos = nowNanos;
        }
    }

    public boolean running() {
        return running;
    }

    /** Nanoseconds left before {@code timeoutNanos} has passed (0 or less: expired); only while running. */
    public long remainingNanos(long nowNanos, long timeoutNanos) {
        return sinceNanos + timeoutNanos - nowNanos;
    }

    /** Whether a request has been arriving for {@code timeoutNanos} or more (never when the timeout is 0). */
    public boolean expired(long nowNanos, long timeoutNanos) {
        return timeoutNanos > 0 && running && remainingNanos(nowNanos, timeoutNanos) <= 0;
    }

    /** The error sent when the request timeout passes; the connection closes after it. */
    public static byte[] timeoutReply(long timeoutMillis) {
        return dev.netplay.common.resp.Resp.error("Protocol error: request not complete within " + timeoutMillis
                + " ms (--request-timeout)");
    }

    /** The error each request still unanswered gets when the server stops. */
    public static final byte[] SHUTTING_DOWN = dev.netplay.common.resp.Resp.error("server is shutting down");
}
