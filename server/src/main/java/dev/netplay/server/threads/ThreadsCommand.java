package dev.netplay.server.threads;

import dev.netplay.server.cli.ModelCli;
import dev.netplay.server.cli.ServerOptions;
import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;

import dev.netplay.server.core.ThreadMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


@Command(name = "threads", mixinStandardHelpOptions = true,
        description = "The thread-per-connection server: blocking sockets; SLEEP is Thread.sleep on the connection's thread.")
public final class ThreadsCommand implements ModelCli {
    /** Largest pool; pid_max caps threads machine-wide far below anything larger. */
    static final int MAX_POOL_SIZE = 100_000;

    @Mixin
    ServerOptions server;

    @Option(names = "--threads", description = "platform (a new thread per connection), virtual (Java 21+) or pool (default: ${DEFAULT-VALUE}).")
    ThreadMode threads = ThreadMode.PLATFORM;

    @Option(names = "--pool-size", description = "Threads of the pool with --threads pool (default: ${DEFAULT-VALUE}); "
            + "connections beyond it are accepted and wait.")
    int poolSize = BlockingServer.DEFAULT_POOL_SIZE;

    @Override
    public ServerOptions options() {
        return server;
    }

    @Override
    public Server build(ServerConfig config) {
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("--pool-size " + poolSize + " is out of range (expected: 1.." + MAX_POOL_SIZE + ")");
        }
        if (threads == ThreadMode.VIRTUAL && ThreadMode.virtualThreadsUnavailableReason() != null) {
            throw new IllegalArgumentException("--threads virtual: " + ThreadMode.virtualThreadsUnavailableReason());
        }
        BlockingServer blocking = new BlockingServer(config.address(), threads, poolSize, config.maxConnections(),
                ThreadMode.namedThreads("netplay-conn-"), config.maxClientMemoryBytes());
        blocking.setIdleTimeout(config.idleTimeout());
        blocking.guards(config.guards());
        blocking.backend(config.backend());
        return blocking;
    }
}
