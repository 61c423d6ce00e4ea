package dev.netplay.server.core;

import dev.netplay.common.protocol.InfoField;

import dev.netplay.common.metrics.GcMonitor;
import dev.netplay.common.resp.Resp;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters a server keeps for INFO and for its graceful shutdown. Thread-safe. */
public final class ServerStats {
    private final long startNanos = System.nanoTime();
    private final AtomicInteger connectedClients = new AtomicInteger();
    private final AtomicLong totalConnections = new AtomicLong();
    private final AtomicLong rejectedConnections = new AtomicLong();
    private final AtomicLong deniedConnections = new AtomicLong();
    private final LongAdder commandsProcessed = new LongAdder();
    private final AtomicInteger requestsInFlight = new AtomicInteger();
    private final AtomicLong clientIds = new AtomicLong();
    /** Longest SLEEP overshoot told apart (µs); a later wake-up is clamped to it. */
    private static final long MAX_OVERSHOOT_MICROS = 60_000_000;
    /** How late each SLEEP resumed past its deadline (µs): the timer's, or the sleeping thread's, delay. */
    private final ConcurrentHistogram sleepOvershootMicros = new ConcurrentHistogram(MAX_OVERSHOOT_MICROS, 2);

    private final ClientMemory clientMemory;
    private final dev.netplay.server.backend.BackendStats backend = new dev.netplay.server.backend.BackendStats();
    private final LongAdder timedOutRequests = new LongAdder();
    private final LongAdder requestsFinished = new LongAdder();
    private final LongAdder stalledWritesClosed = new LongAdder();
    private final LongAdder shutdownErrors = new LongAdder();
    private final LongAdder rejectedRequests = new LongAdder();
    private final LongAdder droppedRequests = new LongAdder();
    /** MEMORY PURGE's full collections: at most one a second, server-wide. */
    private final SharedReading<Long> purges = new SharedReading<>(SharedReading.DEFAULT_INTERVAL);
    /** INFO's Scheduler section (two files read per thread): at most one reading a second, server-wide. */
    private final SharedReading<java.util.Map<InfoField, String>> schedulerReadings = new SharedReading<>(SharedReading.DEFAULT_INTERVAL);

    /** With the default client-memory budget ({@link ClientMemory#defaultLimitBytes()}). */
    public ServerStats() {
        this(ClientMemory.defaultLimitBytes());
    }

    public ServerStats(long clientMemoryLimitBytes) {
        GcMonitor.get(); // listen to collections from the server's start
        clientMemory = new ClientMemory(clientMemoryLimitBytes);
        fileCapacity = dev.netplay.common.metrics.ProcessMetrics.connectionCapacity();
        long limit = dev.netplay.common.metrics.ProcessMetrics.openFileLimit();
        fileLimit = limit <= 0 ? Long.MAX_VALUE : limit - dev.netplay.common.metrics.ProcessMetrics.FILE_HEADROOM;
    }

    /**
     * The sockets this process may open, clients' and backend connections' together (its open-file limit less the
     * files open at the start and the headroom {@code --max-connections}' default keeps too): past it, a client is
     * admitted only while the files really open stay under the limit less the headroom, else refused as one beyond
     * max clients, so that the backend's sockets cannot leave a newcomer with no file to be accepted on. The count of
     * open files is asked only then: a server in a test's JVM shares that JVM's files, which may have closed since.
     */
    private final int fileCapacity;
    private final long fileLimit;

    /** What all connections together hold, and the budget that bounds it. */
    public ClientMemory clientMemory() {
        return clientMemory;
    }

    /** The backend's connections and calls (FETCH, GATHER). */
    public dev.netplay.server.backend.BackendStats backend() {
        return backend;
    }

    /** A connection was accepted; returns false, and counts a rejection, when that would pass {@code max}. */
    public boolean tryConnect(int max) {
        totalConnections.incrementAndGet();
        while (true) {
            int now = connectedClients.get();
            if (now >= max || now + backend.connections() >= fileCapacity && !filesToSpare()) {
                rejectedConnections.incrementAndGet();
                return false;
            }
            if (connectedClients.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** A new connection's state, with the next client id (1, 2, ...; CLIENT ID and HELLO report it). */
    /** Whether this process has files to spare for one more client: its open files under the limit less the headroom. */
    private boolean filesToSpare() {
        long open = dev.netplay.common.metrics.ProcessMetrics.openFiles();
        return open < 0 || open < fileLimit;
    }

    public Session newSession() {
        return new Session(clientIds.incrementAndGet());
    }

    /** A new connection's state, from {@code remote} (loopback or not decides what debug commands it may run). */
    public Session newSession(SocketAddress remote) {
        return new Session(clientIds.incrementAndGet(), Session.isLoopback(remote));
    }

    /**
     * A connection from {@code remote} was accepted: null if it is admitted (counted as {@link #tryConnect}), else
     * the error reply to write before closing it: protected mode's {@link ServerGuards#DENIED} for a client from
     * another host, checked first as Redis does, or Redis's max-clients error past {@code max}. Every model admits
     * here.
     */
    public byte[] admit(SocketAddress remote, ServerGuards guards, int max) {
        if (guards.refusesOtherHosts() && Session.isFromOtherHost(remote)) {
            totalConnections.incrementAndGet();
            deniedConnections.incrementAndGet();
            return Resp.error("DENIED", ServerGuards.DENIED);
        }
        return tryConnect(max) ? null : Resp.error(Resp.MAX_CLIENTS_REACHED);
    }

    /** Connections refused by protected mode. */
    public long deniedConnections() {
        return deniedConnections.get();
    }

    /** A request did not arrive whole within the request timeout; its connection is closed. */
    public void requestTimedOut() {
        timedOutRequests.increment();
    }

    /** A reply made no progress within the write timeout; its connection is closed. */
    public void stalledWriteClosed() {
        stalledWritesClosed.increment();
    }

    /** A request was answered {@code -ERR server is shutting down} rather than served. */
    public void shutdownError() {
        shutdownErrors.increment();
    }

    /** A request was refused by a bound of the server (e.g. the offload queue's) with an error reply. */
    public void requestRejected() {
        rejectedRequests.increment();
    }

    /** {@code n} requests received but not yet started were dropped: their client went away. */
    public void requestsDropped(int n) {
        droppedRequests.add(n);
    }

    /** The gate of MEMORY PURGE's full collections. */
    public SharedReading<Long> purges() {
        return purges;
    }

    /** The gate of INFO's Scheduler readings. */
    public SharedReading<java.util.Map<InfoField, String>> schedulerReadings() {
        return schedulerReadings;
    }

    public long timedOutRequests() {
        return timedOutRequests.sum();
    }

    public long stalledWritesClosed() {
        return stalledWritesClosed.sum();
    }

    public long shutdownErrors() {
        return shutdownErrors.sum();
    }

    public long rejectedRequests() {
        return rejectedRequests.sum();
    }

    public long droppedRequests() {
        return droppedRequests.sum();
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
        requestsFinished.increment();
    }

    /** Requests finished so far: answered, or their connection gone. */
    public long requestsFinished() {
        return requestsFinished.sum();
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
