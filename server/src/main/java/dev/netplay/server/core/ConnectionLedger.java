package dev.netplay.server.core;

import dev.netplay.common.protocol.Requests;

import dev.netplay.common.protocol.Action;

import dev.netplay.common.resp.ProtocolException;
import dev.netplay.common.resp.RequestParser;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One admitted connection's contract, the same in every model, written once: its request parser and session, its
 * share of the client-memory budget, the request in flight (started and finished exactly once each), its end (counted
 * once, whatever ends it), and the guards' verdicts: when a request arriving too slowly times out, when replies that
 * make no progress have stalled, and what a request still unanswered gets when the server stops, each counted here.
 * A model does the I/O, the timers and the waiting, and tells the ledger what happened; the server's figures (INFO's
 * {@code connected_clients}, {@code requests_in_flight}, {@code client_memory_bytes}, {@code timed_out_requests},
 * {@code stalled_writes_closed}, {@code shutdown_errors}) then cannot leak or differ between models, and a graceful
 * stop waits for the right count.
 *
 * <p>Made once the connection is admitted ({@link ServerStats#admit}); not thread-safe: one thread at a time,
 * the connection's loop or its own thread.
 */
public final class ConnectionLedger {
    private final ServerStats stats;
    private final RequestParser parser;
    private final Session session;
    private final ClientMemory.Usage memory;
    private final RequestClock requestClock = new RequestClock();
    private final long requestTimeoutNanos;
    private final long writeTimeoutNanos;
    private boolean inFlight;
    private boolean closed;

    /**
     * @param remote where the client connects from (loopback or not decides what debug commands it may run)
     * @param client what the budget evicts when all clients together hold too much
     */
    public ConnectionLedger(ServerStats stats, SocketAddress remote, ClientMemory.Client client) {
        this(stats, remote, client, ServerGuards.DEFAULTS);
    }

    /** @param guards whether a password is asked for: until it is given, the parser bounds requests as Redis does */
    public ConnectionLedger(ServerStats stats, SocketAddress remote, ClientMemory.Client client, ServerGuards guards) {
        this(stats, remote, client, guards, new RequestParser(Requests.COMMAND_NAMES));
    }

    /** @param parser the connection's parser where the model frames requests apart (netty's decoder) */
    public ConnectionLedger(ServerStats stats, SocketAddress remote, ClientMemory.Client client, ServerGuards guards,
                            RequestParser parser) {
        this.stats = stats;
        this.parser = parser;
        this.session = stats.newSession(remote);
        this.memory = stats.clientMemory().register(client);
        this.unauthenticated = guards.requirePass() != null;
        parser.unauthenticated(unauthenticated);
        this.requestTimeoutNanos = guards.requestTimeout().toNanos();
        this.writeTimeoutNanos = guards.writeTimeout().toNanos();
    }

    /** Until the client gives the password. */
    private boolean unauthenticated;

    /** This connection's parser: every model frames requests with the protocol's one parser. */
    public RequestParser parser() {
        return parser;
    }

    public Session session() {
        return session;
    }

    /**
     * A request starts: counted in flight until {@link #finished()}, and answered by {@code dispatch} (the
     * protocol's dispatcher, or a test's), whose action the model then carries out.
     */
    public Action start(Dispatch dispatch, List<byte[]> request) {
        begin();
        Action action = dispatch.dispatch(session, request);
        if (unauthenticated && session.authenticated()) {
            unauthenticated = false;
            parser.unauthenticated(false);
        }
        return action;
    }

    /** A request starts that the model answers itself (e.g. refuses, the server stopping); counted as {@link #start}. */
    public void begin() {
        if (!inFlight) {
            inFlight = true;
            stats.requestStarted();
        }
    }

    /** The request under way is over (replied, refused, or its connection gone); again, or with none, does nothing. */
    public void finished() {
        if (inFlight) {
            inFlight = false;
            stats.requestFinished();
        }
    }

    /** Whether a request is under way. */
    public boolean inFlight() {
        return inFlight;
    }

    /** A SLEEP due at {@code deadlineNanos} resumed now: its lateness goes into INFO's overshoot figures. */
    public void sleepResumed(long deadlineNanos) {
        stats.sleepResumed(deadlineNanos);
    }

    /** What this connection holds now (partial requests, requests waiting, replies not yet written), in bytes. */
    public void holding(long bytes) {
        if (!closed) {
            stats.clientMemory().update(memory, bytes);
        }
    }

    /** The connection ended: its request finished, its memory released, its end counted; once, whoever calls it first. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        finished();
        stats.clientMemory().unregister(memory);
        stats.disconnected();
    }

    public boolean closed() {
        return closed;
    }

    /**
     * After the connection's bytes were parsed, or when its timer fires: whether a request is partly received (the
     * request timeout's clock runs while one is), and whether the server holds the client back now (it does not read
     * the connection: replies or requests wait), which starts the clock again: only the client's own slowness counts.
     */
    public void requestProgress(boolean partial, boolean heldBack, long nowNanos) {
        requestClock.update(partial, nowNanos);
        if (heldBack) {
            requestClock.restart(nowNanos);
        }
    }

    /** Nanoseconds before the request arriving times out (0 or less: it has); {@link Long#MAX_VALUE} while none is watched. */
    public long requestTimeLeft(long nowNanos) {
        return requestTimeoutNanos > 0 && requestClock.running()
                ? requestClock.remainingNanos(nowNanos, requestTimeoutNanos) : Long.MAX_VALUE;
    }

    /**
     * The request timeout's error, counted, if the request arriving has taken the whole timeout by now; else null.
     * The model sends it after the replies before it, as the connection's last, and closes.
     */
    public byte[] requestTimedOut(long nowNanos) {
        if (!requestClock.expired(nowNanos, requestTimeoutNanos)) {
            return null;
        }
        stats.requestTimedOut();
        return RequestClock.timeoutReply(TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos));
    }

    /** The write timeout in nanoseconds; 0: none. */
    public long writeTimeoutNanos() {
        return writeTimeoutNanos;
    }

    /**
     * Whether replies waiting to be written, which last moved at {@code lastProgressNanos}, have made no progress for
     * the write timeout; if so, counted: the model then closes with a reset (SO_LINGER 0), so that the client learns
     * at once and the kernel drops the unsent reply, where a graceful close would leave both to its zero-window probes.
     * Safe from any thread (a watchdog's): it reads only what never changes.
     */
    public boolean writeStalled(long lastProgressNanos, long nowNanos) {
        if (writeTimeoutNanos == 0 || nowNanos - lastProgressNanos < writeTimeoutNanos) {
            return false;
        }
        stats.stalledWriteClosed();
        return true;
    }

    /** The server stops and its grace is over: the error, counted, for one request received and not answered. */
    public byte[] refused() {
        stats.shutdownError();
        return RequestClock.SHUTTING_DOWN;
    }

    /**
     * The server stops: the stopping error, counted and sent through {@code send}, for every whole request in these
     * bytes read and not yet parsed; what follows a framing error was never a request.
     */
    public void refuseAll(byte[] bytes, Consumer<byte[]> send) {
        int pos = 0;
        try {
            while (pos < bytes.length) {
                pos += parser.feed(bytes, pos, bytes.length - pos);
                if (parser.poll() != null) {
                    send.accept(refused());
                }
            }
        } catch (ProtocolException e) {
            // the rest is not a request
        }
    }

    /** What answers a request: {@link CommandDispatcher#dispatch}, or a test's stand-in. */
    @FunctionalInterface
    public interface Dispatch {
        Action dispatch(Session session, List<byte[]> request);
    }
}
