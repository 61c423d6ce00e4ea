package dev.netplay.server.core;

import dev.netplay.common.cli.ListeningLine;
import dev.netplay.server.backend.BackendSettings;

import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * How a server was started, as INFO reports it.
 *
 * @param model          {@code netty}, {@code threads-platform}, {@code threads-virtual} or {@code threads-pool}
 * @param transport      {@code nio}, {@code epoll}, {@code io_uring}, or {@code socket} for java.net sockets
 * @param ioThreads      event loop threads; 0 for the thread-per-connection models
 * @param poolSize       worker pool size (the pool model's, or netty's offload executor's); 0 where there is none
 * @param sleepMode      {@code timer}, {@code blocking} or {@code offloaded}
 * @param maxConnections connections served at once; more are refused
 * @param guards         the time bounds on each direction and who may run debug commands
 * @param backend        the server FETCH and GATHER wait on, and how this model makes GATHER's calls
 */
public record ServerSettings(String model, String transport, int ioThreads, int poolSize, String sleepMode,
                             int maxConnections, ServerGuards guards, BackendSettings backend) {
    public ServerSettings(String model, String transport, int ioThreads, int poolSize, String sleepMode,
                          int maxConnections, ServerGuards guards) {
        this(model, transport, ioThreads, poolSize, sleepMode, maxConnections, guards, BackendSettings.NONE);
    }

    /** With the default guards ({@link ServerGuards#DEFAULTS}). */
    public ServerSettings(String model, String transport, int ioThreads, int poolSize, String sleepMode, int maxConnections) {
        this(model, transport, ioThreads, poolSize, sleepMode, maxConnections, ServerGuards.DEFAULTS);
    }

    public ServerSettings withGuards(ServerGuards guards) {
        return new ServerSettings(model, transport, ioThreads, poolSize, sleepMode, maxConnections, guards, backend);
    }

    public ServerSettings withBackend(BackendSettings backend) {
        return new ServerSettings(model, transport, ioThreads, poolSize, sleepMode, maxConnections, guards, backend);
    }

    /** This server's listening line ({@link ListeningLine}), as the scripts, compare and the tests read it. */
    public String listeningLine(InetSocketAddress address) {
        return ListeningLine.of(model, address, String.format(Locale.ROOT,
                "transport=%s io_threads=%d pool_size=%d sleep_mode=%s max_connections=%d access=%s",
                transport, ioThreads, poolSize, sleepMode, maxConnections, guards.access()));
    }

    public static final String SLEEP_TIMER = "timer";
    public static final String SLEEP_BLOCKING = "blocking";
    /** Blocking, but on an offload executor's thread rather than the event loop. */
    public static final String SLEEP_OFFLOADED = "offloaded";
}
