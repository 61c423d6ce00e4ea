package dev.netplay.server.netty;

import dev.netplay.server.cli.ModelCli;
import dev.netplay.server.cli.ServerOptions;
import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;

import dev.netplay.common.metrics.ProcessMetrics;
import dev.netplay.server.core.ThreadMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


@Command(name = "netty", mixinStandardHelpOptions = true,
        description = "The event-loop server: a few I/O threads serve every connection; SLEEP is a timer.")
public final class NettyCommand implements ModelCli {
    /** Most event loop threads; far more than cores only adds context switches. */
    static final int MAX_IO_THREADS = 1024;

    @Mixin
    ServerOptions server;

    @Option(names = "--io-threads", description = "Event loop threads (default: cores, here ${DEFAULT-VALUE}).")
    int ioThreads = ProcessMetrics.availableProcessors();

    @Option(names = "--transport", description = "auto, nio, epoll or io_uring (default: ${DEFAULT-VALUE}: epoll where available, else nio).")
    Transport transport = Transport.AUTO;

    @Option(names = "--blocking-sleep",
            description = "The classic mistake, kept as an experiment: SLEEP blocks the event loop with Thread.sleep.")
    boolean blockingSleep;

    /** Most offload threads: each is a platform thread, and pid_max caps threads machine-wide. */
    static final int MAX_OFFLOAD_THREADS = 10_000;

    @Option(names = "--offload", paramLabel = "N|virtual",
            description = "Run blocking SLEEPs (--blocking-sleep), WORK and backend calls on an executor of N threads, "
                    + "or on a new virtual thread per request (virtual, Java 21+), not the event loop; replies come back "
                    + "through the loop in order (default: 0, none).")
    String offloadOption = "0";

    /** Most requests waiting for the offload threads. */
    static final int MAX_OFFLOAD_QUEUE = 1_000_000;

    @Option(names = "--offload-queue", paramLabel = "N",
            description = "With --offload: requests that may wait for an offload thread; more get -ERR (default: "
                    + NettyServer.DEFAULT_OFFLOAD_QUEUE_PER_THREAD + " per offload thread).")
    Integer offloadQueue;

    @Override
    public ServerOptions options() {
        return server;
    }

    @Override
    public Server build(ServerConfig config) {
        if (ioThreads < 1 || ioThreads > MAX_IO_THREADS) {
            throw new IllegalArgumentException("--io-threads " + ioThreads + " is out of range (expected: 1.." + MAX_IO_THREADS + ")");
        }
        boolean virtual = offloadOption.trim().equalsIgnoreCase("virtual");
        int offload;
        try {
            offload = virtual ? 0 : Integer.parseInt(offloadOption.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--offload '" + offloadOption + "' is neither a number of threads (0.."
                    + MAX_OFFLOAD_THREADS + ") nor virtual");
        }
        if (offload < 0 || offload > MAX_OFFLOAD_THREADS) {
            throw new IllegalArgumentException("--offload " + offload + " is out of range (expected: 0.." + MAX_OFFLOAD_THREADS + ")");
        }
        int queue = offloadQueue != null ? offloadQueue : offload * NettyServer.DEFAULT_OFFLOAD_QUEUE_PER_THREAD;
        if (offload > 0 && (queue < 1 || queue > MAX_OFFLOAD_QUEUE)) {
            throw new IllegalArgumentException("--offload-queue " + queue + " is out of range (expected: 1.." + MAX_OFFLOAD_QUEUE + ")");
        }
        if (virtual && ThreadMode.virtualThreadsUnavailableReason() != null) {
            throw new IllegalArgumentException("--offload virtual: " + ThreadMode.virtualThreadsUnavailableReason());
        }
        NettyServer netty = new NettyServer(config.address(), transport, ioThreads, blockingSleep, config.maxConnections(),
                config.idleTimeout(), config.maxClientMemoryBytes())
                .offload(offload, queue).guards(config.guards()).backend(config.backend());
        if (virtual) {
            netty.offloadVirtual();
        }
        return netty;
    }
}
