package dev.netplay.common.protocol;

import dev.netplay.common.metrics.GcMonitor;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

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
    private final AtomicLong clientIds = new AtomicLong();
    /** Longest SLEEP overshoot told apart (µs); a later wake-up is clamped to it. */
    private static final long MAX_OVERSHOOT_MICROS = 60_000_000;
    /** How late each SLEEP resumed past its deadline (µs): the timer's, or the sleeping thread's, delay. */
    private final ConcurrentHistogram sleepOvershootMicros = new ConcurrentHistogram(MAX_OVERSHOOT_MICROS, 2);

    private final ClientMemory clientMemory;

    /** With the default client-memory budget ({@link ClientMemory#defaultLimitBytes()}). */
    public ServerStats() {
        this(ClientMemory.defaultLimitBytes());
    }

    public ServerStats(long clientMemoryLimitBytes) {
        GcMonitor.get(); // listen to collections from the server's start
        clientMemory = new ClientMemory(clientMemoryLimitBytes);
    }

    /** What all connections together hold, and the budget that bounds it. */
    public ClientMemory clientMemory() {
        return clientMemory;
    }

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

    /** A new connection's state, with the next client id (1, 2, ...; CLIENT ID and HELLO report it). */
    public Session newSession() {
        return new Session(clientIds.incrementAndGet());
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

    /** A SLEEP resumed; {@code deadlineNanos} is when it was due ({@link System#nanoTime()}). */
    public void sleepResumed(long deadlineNanos) {
        long lateMicros = (System.nanoTime() - deadlineNanos) / 1_000;
        sleepOvershootMicros.recordValue(Math.max(0, Math.min(MAX_OVERSHOOT_MICROS, lateMicros)));
    }

    /** Every SLEEP's overshoot so far (µs). */
    public Histogram sleepOvershoot() {
        return sleepOvershootMicros.copy();
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
