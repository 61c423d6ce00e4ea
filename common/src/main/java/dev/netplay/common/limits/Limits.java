package dev.netplay.common.limits;

/** Every bound of the protocol, in one place; every server model and the load client obey these. */
public final class Limits {
    /** Longest inline request line, CRLF excluded. */
    public static final int MAX_INLINE_BYTES = 64 * 1024; // 64 KiB
    /** Longest bulk string argument. */
    public static final int MAX_BULK_BYTES = 1024 * 1024; // 1 MiB
    /** Most arguments in one request, command name included. */
    public static final int MAX_ARGUMENTS = 1024;
    /**
     * Before a client has given the password a server asks for: most arguments, longest bulk string and longest inline
     * line it may send; more is a protocol error and closes it, as Redis bounds such a client (10 and 16 KiB), so
     * that connections that never authenticate cannot take the client-memory budget from those that did.
     */
    public static final int MAX_UNAUTHENTICATED_ARGUMENTS = 10;
    public static final int MAX_UNAUTHENTICATED_BULK_BYTES = 16 * 1024; // 16 KiB
    public static final int MAX_UNAUTHENTICATED_INLINE_BYTES = 16 * 1024; // 16 KiB
    /**
     * Largest request, every byte of it counted as it arrives: room for the largest legitimate request, an ECHO of
     * the largest bulk string, plus a longest line's worth of headers. Without it, 1,024 arguments of 1 MiB each make
     * one request of 1 GiB.
     */
    public static final int MAX_REQUEST_BYTES = MAX_BULK_BYTES + MAX_INLINE_BYTES; // 1 MiB + 64 KiB
    /**
     * Default budget for what all clients together hold in a server (partial requests and replies not yet written),
     * as a share of the JVM's heap or direct-memory limit, whichever is smaller: the rest is for the server itself.
     */
    public static final double CLIENT_MEMORY_SHARE = 0.25;
    /**
     * Longest client name or library attribute a connection keeps (CLIENT SETNAME, SETINFO, HELLO SETNAME): Redis sets
     * none, but each connection keeps them for its life, and 20,000 connections times a 1 MiB name would not fit.
     */
    public static final int MAX_CLIENT_NAME_BYTES = 1024; // 1 KiB
    /** Longest SLEEP, and longest wait a FETCH or GATHER asks of the backend. */
    public static final long MAX_SLEEP_MILLIS = 60_000; // 60 s
    /** Largest DATA reply. */
    public static final long MAX_DATA_BYTES = 64L * 1024 * 1024; // 64 MiB
    /** Most backend calls one GATHER makes at once. */
    public static final int MAX_GATHER_CALLS = 64;
    /** Most SHA-256 rounds one WORK request may ask for. */
    public static final long MAX_WORK_ROUNDS = 10_000_000;

    /** Most backend connections a server may keep: each is an open file. */
    public static final int MAX_BACKEND_CONNECTIONS = 100_000;

    private Limits() {
    }
}
