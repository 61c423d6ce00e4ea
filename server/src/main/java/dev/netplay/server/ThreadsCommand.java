package dev.netplay.server;

import dev.netplay.server.blocking.BlockingServer;
import dev.netplay.server.blocking.ThreadMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

@Command(name = "threads", mixinStandardHelpOptions = true,
        description = "The thread-per-connection server: blocking sockets; SLEEP is Thread.sleep on the connection's thread.")
final class ThreadsCommand implements Callable<Integer> {
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
    public Integer call() throws Exception {
        server.validate();
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("--pool-size " + poolSize + " is out of range (expected: 1.." + MAX_POOL_SIZE + ")");
        }
        if (threads == ThreadMode.VIRTUAL && ThreadMode.virtualThreadsUnavailableReason() != null) {
            throw new IllegalArgumentException("--threads virtual: " + ThreadMode.virtualThreadsUnavailableReason());
        }
        BlockingServer blocking = new BlockingServer(new InetSocketAddress(server.bind, server.port), threads, poolSize,
                server.effectiveMaxConnections(), BlockingServer.namedThreads("netplay-conn-"), server.maxClientMemory);
        blocking.setIdleTimeout(server.idleTimeout);
        blocking.guards(server.guards());
        blocking.backend(server.backendSettings());
        return ServerRunner.runUntilSignalled(blocking, server.grace);
    }
}
