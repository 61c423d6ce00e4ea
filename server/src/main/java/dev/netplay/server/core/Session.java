package dev.netplay.server.core;

/**
 * One connection's protocol state, as Redis keeps it per client: the RESP version its replies use (2 until
 * {@code HELLO 3}), its id, and the name and library it gave. Used by the connection's own thread or event loop only.
 */
public final class Session {
    /** RESP2: what every connection speaks until it says {@code HELLO 3}. */
    public static final int RESP2 = 2;
    public static final int RESP3 = 3;

    private final long id;
    /** Connected from this machine (loopback): what {@code --enable-debug-command local} allows. */
    private final boolean loopback;
    private int protocol = RESP2;
    /** Gave the server's password (AUTH, or HELLO's AUTH); what a server with none asks of no one. */
    private boolean authenticated;
    private String name;
    private String libraryName;
    private String libraryVersion;

    /** A connection from this machine. */
    public Session(long id) {
        this(id, true);
    }

    public Session(long id, boolean loopback) {
        this.id = id;
        this.loopback = loopback;
    }

    /** Whether {@code remote} is this machine: 127.0.0.0/8 or ::1 . */
    public static boolean isLoopback(java.net.SocketAddress remote) {
        return remote instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
    }

    /**
     * Whether {@code remote} is another host: an IP address off loopback. What is no IP address (a Unix socket, a test's
     * in-memory channel) is this machine, as Redis's protected mode counts a Unix socket local.
     */
    public static boolean isFromOtherHost(java.net.SocketAddress remote) {
        return remote instanceof java.net.InetSocketAddress inet && !isLoopback(inet);
    }

    public boolean loopback() {
        return loopback;
    }

    public long id() {
        return id;
    }

    public boolean authenticated() {
        return authenticated;
    }

    void authenticated(boolean yes) {
        this.authenticated = yes;
    }

    public int protocol() {
        return protocol;
    }

    void protocol(int version) {
        this.protocol = version;
    }

    public boolean resp3() {
        return protocol == RESP3;
    }

    /** The name given by {@code CLIENT SETNAME} or {@code HELLO ... SETNAME}; null if none (an empty name clears it). */
    public String name() {
        return name;
    }

    void name(String name) {
        this.name = name == null || name.isEmpty() ? null : name;
    }

    public String libraryName() {
        return libraryName;
    }

    public String libraryVersion() {
        return libraryVersion;
    }

    void library(String attribute, String value) {
        if (attribute.equals("lib-name")) {
            libraryName = value;
        } else {
            libraryVersion = value;
        }
    }
}
