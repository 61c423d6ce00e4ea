package dev.netplay.server.core;

import dev.netplay.common.protocol.Requests;

import dev.netplay.common.protocol.Action;

import dev.netplay.common.resp.RequestParser;

import java.net.SocketAddress;
import java.util.List;

/**
 * One admitted connection's bookkeeping, the same in every model: its request parser and session, its share of the
 * client-memory budget, the request in flight (started and finished exactly once each), and its end (counted once,
 * whatever ends it). A model does the I/O and the timers and tells the ledger what happened; the server's figures
 * (INFO's {@code connected_clients}, {@code requests_in_flight}, {@code client_memory_bytes}) then cannot leak, and a
 * graceful stop waits for the right count.
 *
 * <p>Made once the connection is admitted ({@link ServerStats#tryConnect}); not thread-safe: one thread at a time,
 * the connection's loop or its own thread.
 */
public final class ConnectionLedger {
    private final ServerStats stats;
    private final RequestParser parser;
    private final Session session;
    private final ClientMemory.Usage memory;
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

    /** What answers a request: {@link CommandDispatcher#dispatch}, or a test's stand-in. */
    @FunctionalInterface
    public interface Dispatch {
        Action dispatch(Session session, List<byte[]> request);
    }
}
