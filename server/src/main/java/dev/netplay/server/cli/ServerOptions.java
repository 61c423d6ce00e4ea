package dev.netplay.server.cli;

import dev.netplay.server.core.ServerConfig;

import dev.netplay.server.backend.BackendSettings;
import dev.netplay.common.cli.Units;
import dev.netplay.common.metrics.ProcessMetrics;
import dev.netplay.server.core.ClientMemory;
import dev.netplay.common.limits.Limits;
import dev.netplay.server.core.ServerGuards;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.time.Duration;

/** Options every server model takes. */
public final class ServerOptions {
    /** The smallest client-memory budget: one largest request must fit. */
    static final long MIN_CLIENT_MEMORY = Limits.MAX_REQUEST_BYTES;
    /** Highest TCP port. */
    static final int MAX_PORT = 65_535;

    @Option(names = "--bind", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    public String bind = "127.0.0.1";

    @Option(names = {"-p", "--port"}, description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    public int port = 7001;

    @Option(names = "--max-connections", converter = Units.CountConverter.class,
            description = "Connections served at once; more get -ERR and are closed "
                    + "(default: this process's open-file limit less the files it has open and " + ProcessMetrics.FILE_HEADROOM + " more).")
    public Integer maxConnections;

    /** Idle connections are closed after this; see {@link #idleTimeout}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

    // 120 s: twice the longest SLEEP, so no client waiting on a request is cut, while a connection that sends
    // half a request and stalls (slowloris) is dropped within two minutes. 0 never closes (Redis's default).
    @Option(names = "--idle-timeout", converter = Units.DurationConverter.class,
            description = "Close a connection that sends nothing for this long while no request of its is pending; 0: never (default: 120s).")
    public Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

    @Option(names = "--max-client-memory", converter = Units.BytesConverter.class, paramLabel = "SIZE",
            description = "What all clients together may make this server hold (partial requests, replies not yet written), "
                    + "e.g. 512m; past it the connection holding the most is closed (default: a quarter of the heap, here "
                    + "${DEFAULT-VALUE} bytes).")
    public long maxClientMemory = ClientMemory.defaultLimitBytes();

    @Option(names = "--request-timeout", converter = Units.DurationConverter.class,
            description = "A request whose first byte has arrived must be complete within this, else -ERR and close; "
                    + "0: never (default: 30s: the largest request at 40 KB/s).")
    public Duration requestTimeout = ServerGuards.DEFAULT_REQUEST_TIMEOUT;

    @Option(names = "--write-timeout", converter = Units.DurationConverter.class,
            description = "Close a connection whose pending reply makes no progress for this long; 0: never (default: 60s).")
    public Duration writeTimeout = ServerGuards.DEFAULT_WRITE_TIMEOUT;

    @Option(names = "--enable-debug-command", paramLabel = "no|local|yes",
            description = "Who may run MEMORY PURGE (a full collection, at most one a second): no one, clients on this "
                    + "machine (loopback), or everyone (default: local).")
    public String enableDebugCommand = "local";

    @Option(names = "--requirepass", paramLabel = "PASSWORD", defaultValue = "${env:NETPLAY_REQUIREPASS}",
            description = "Every connection must give this password (AUTH PASSWORD, or HELLO 3 AUTH default PASSWORD) before "
                    + "any command but AUTH, HELLO and QUIT, as Redis's requirepass; from NETPLAY_REQUIREPASS if not given "
                    + "here (a command line shows in ps; the environment does not). Default: none.")
    public String requirePass;

    @Option(names = "--protected-mode", paramLabel = "yes|no",
            description = "With yes and no --requirepass, refuse every client not connected from loopback with -DENIED, "
                    + "as Redis's protected-mode (default: yes; a server bound to 127.0.0.1 has no other clients).")
    public String protectedMode = "yes";

    @Option(names = "--grace", converter = Units.DurationConverter.class,
            description = "On SIGTERM or Ctrl-C, how long requests in flight may finish (default: 5s).")
    public Duration grace = Duration.ofSeconds(5);

    @Option(names = "--backend", paramLabel = "HOST:PORT",
            description = "The server FETCH and GATHER call (any RESP server: a netplay model, redis-server); default: none.")
    public String backend;

    @Option(names = "--backend-connections", converter = Units.CountConverter.class, paramLabel = "N",
            description = "Backend connections open at most, server-wide; a connection carries one call at a time, so "
                    + "more calls wait for one (default: " + BackendSettings.DEFAULT_CONNECTIONS + ", one per front "
                    + "connection at the largest FETCH level here).")
    public int backendConnections = BackendSettings.DEFAULT_CONNECTIONS;

    @Option(names = "--backend-timeout", converter = Units.DurationConverter.class,
            description = "A backend call not answered within this (waiting for a connection included) gets -ERR "
                    + "and its connection is closed (default: 65s, past the longest FETCH).")
    public Duration backendTimeout = BackendSettings.DEFAULT_TIMEOUT;

    @Option(names = "--backend-command", paramLabel = "TEMPLATE",
            description = "What a call sends, {ms} or {s} standing for the wait, e.g. \"BLPOP netplay:none {s}\" for "
                    + "redis-server (default: \"" + BackendSettings.DEFAULT_COMMAND + "\").")
    public String backendCommand = BackendSettings.DEFAULT_COMMAND;

    @Option(names = "--backend-reply", paramLabel = "LINE",
            description = "The reply line a call must get, e.g. *-1 for BLPOP timing out; anything else is -ERR "
                    + "(default: " + BackendSettings.DEFAULT_REPLY + ").")
    public String backendReply = BackendSettings.DEFAULT_REPLY;

    @Option(names = "--gather", paramLabel = "sequential|parallel",
            description = "How blocking code makes a GATHER's calls: one after another, as usually written, or each "
                    + "on a thread of its own (virtual where the model's are); event loops always write them at once "
                    + "(default: sequential).")
    public String gather = "sequential";

    /** The backend options as one value; call {@link #validate()} first. */
    public BackendSettings backendSettings() {
        BackendSettings.Gather mode = switch (gather.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sequential" -> BackendSettings.Gather.SEQUENTIAL;
            case "parallel" -> BackendSettings.Gather.PARALLEL;
            default -> throw new IllegalArgumentException("--gather '" + gather + "' is not one of: sequential, parallel");
        };
        return new BackendSettings(backend == null ? null : BackendSettings.parseAddress(backend), backendConnections,
                backendTimeout, backendCommand, backendReply, mode);
    }

    /** Checks the values, naming the bad one and the allowed range. */
    public void validate() {
        backendSettings();
        if (requestTimeout.isNegative() || writeTimeout.isNegative()) {
            throw new IllegalArgumentException("--request-timeout and --write-timeout must be >= 0 (got "
                    + requestTimeout + ", " + writeTimeout + ")");
        }
        debugCommands();
        protectedMode();
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("--port " + port + " is out of range (expected: 0.." + MAX_PORT + ")");
        }
        if (maxClientMemory < MIN_CLIENT_MEMORY) {
            throw new IllegalArgumentException("--max-client-memory " + maxClientMemory + " is out of range (expected: >= "
                    + MIN_CLIENT_MEMORY + " bytes, room for one largest request)");
        }
        int capacity = ProcessMetrics.connectionCapacity();
        if (maxConnections != null && (maxConnections < 1 || maxConnections > capacity)) {
            throw new IllegalArgumentException("--max-connections " + maxConnections + " is out of range (expected: 1.."
                    + capacity + ": this process's open-file limit " + ProcessMetrics.openFileLimit() + " less the files it has open and "
                    + ProcessMetrics.FILE_HEADROOM + " more)");
        }
    }

    /** What every model is given; call {@link #validate()} first. */
    public ServerConfig config() {
        return new ServerConfig(new InetSocketAddress(bind, port), effectiveMaxConnections(), idleTimeout, maxClientMemory,
                guards(), backendSettings());
    }

    public ServerGuards guards() {
        return new ServerGuards(requestTimeout, writeTimeout, debugCommands()).withRequirePass(requirePass)
                .withProtectedMode(protectedMode());
    }

    private boolean protectedMode() {
        return switch (protectedMode.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new IllegalArgumentException("--protected-mode '" + protectedMode + "' is not one of: yes, no");
        };
    }

    private ServerGuards.DebugCommands debugCommands() {
        for (ServerGuards.DebugCommands who : ServerGuards.DebugCommands.values()) {
            if (who.label().equalsIgnoreCase(enableDebugCommand.trim())) {
                return who;
            }
        }
        throw new IllegalArgumentException("--enable-debug-command '" + enableDebugCommand + "' is not one of: no, local, yes");
    }

    public int effectiveMaxConnections() {
        return maxConnections != null ? maxConnections : ProcessMetrics.connectionCapacity();
    }
}
