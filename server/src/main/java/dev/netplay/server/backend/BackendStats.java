package dev.netplay.server.backend;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** A server's backend counters, for INFO: connections open, calls under way, calls made, failed and cancelled. Thread-safe. */
public final class BackendStats {
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger callsInFlight = new AtomicInteger();
    private final LongAdder calls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder cancelled = new LongAdder();

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    /** A call began: from here until {@link #callFinished} it is in flight (waiting for a connection included). */
    public void callStarted() {
        callsInFlight.incrementAndGet();
        calls.increment();
    }

    /** A call ended; {@code failed}: with an error reply for its request. */
    public void callFinished(boolean failed) {
        callsInFlight.decrementAndGet();
        if (failed) {
            errors.increment();
        }
    }

    /** A call ended unanswered because its request's client left: counted apart from errors. */
    public void callCancelled() {
        callsInFlight.decrementAndGet();
        cancelled.increment();
    }

    public long cancelled() {
        return cancelled.sum();
    }

    public int connections() {
        return connections.get();
    }

    public int callsInFlight() {
        return callsInFlight.get();
    }

    public long calls() {
        return calls.sum();
    }

    public long errors() {
        return errors.sum();
    }
}
