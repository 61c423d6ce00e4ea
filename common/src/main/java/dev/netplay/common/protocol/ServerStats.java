package dev.netplay.common.protocol;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters a server keeps for INFO and for its graceful shutdown. Thread-safe. */
public final class ServerStats {
    private final long startNanos = System.nanoTime();
    private final AtomicInteger connectedClients = new AtomicInteger();
    private final AtomicLong totalConnections = new AtomicLong();
    private final AtomicLong rejectedConnections = new AtomicLong();
    private final LongAdder commandsProcessed = new LongAdder();
    private final AtomicInteger requestsInFlight = new AtomicInteger();

    /** A connection was accepted; returns false, and counts a rejection, when that would pass {@code max}. */
    public boolean tryConnect(int max) {
        totalConnections.incrementAndGet();
        while (true) {
            int now = connectedClients.get();
            if (now >= max) {
                rejectedConnections.incrementAndGet();
                return false;
            }
            if (connectedClients.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    public void disconnected() {
        connectedClients.decrementAndGet();
    }

    public void commandProcessed() {
        commandsProcessed.increment();
    }

    public void requestStarted() {
        requestsInFlight.incrementAndGet();
    }

    public void requestFinished() {
        requestsInFlight.decrementAndGet();
    }

    public int requestsInFlight() {
        return requestsInFlight.get();
    }

    public int connectedClients() {
        return connectedClients.get();
    }

    public long totalConnections() {
        return totalConnections.get();
    }

    public long rejectedConnections() {
        return rejectedConnections.get();
    }

    public long commandsProcessed() {
        return commandsProcessed.sum();
    }

    public long uptimeMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
