package dev.netplay.server.testing;

import dev.netplay.server.Server;
import dev.netplay.server.blocking.BlockingServer;
import dev.netplay.server.blocking.ThreadMode;
import dev.netplay.server.netty.NettyServer;
import dev.netplay.server.netty.Transport;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Assumptions;

import java.net.InetSocketAddress;
import java.util.List;

/** Every server model the tests run against, started in this JVM on 127.0.0.1 and a free port. */
public enum ServerModel {
    NETTY_NIO(List.of("netty", "--transport", "nio")),
    NETTY_EPOLL(List.of("netty", "--transport", "epoll")),
    THREADS_PLATFORM(List.of("threads", "--threads", "platform")),
    THREADS_POOL(List.of("threads", "--threads", "pool", "--pool-size", Integer.toString(ServerModel.POOL_SIZE))),
    THREADS_VIRTUAL(List.of("threads", "--threads", "virtual"));

    /** The pool model's size in tests: small enough that tests see connections wait for it. */
    public static final int POOL_SIZE = 200;
    public static final int IO_THREADS = 2;
    private static final int MAX_CONNECTIONS = 10_000;

    private final List<String> cliArgs;

    ServerModel(List<String> cliArgs) {
        this.cliArgs = cliArgs;
    }

    /** The command-line arguments that start this model with {@code scripts/server}. */
    public List<String> cliArgs() {
        return cliArgs;
    }

    /** Skips the calling test, with the reason, where this model cannot run (epoll off Linux, virtual on Java 17). */
    public void assumeAvailable() {
        switch (this) {
            case NETTY_EPOLL -> Assumptions.assumeTrue(Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
            case THREADS_VIRTUAL -> Assumptions.assumeTrue(ThreadMode.virtualThreadsUnavailableReason() == null,
                    ThreadMode::virtualThreadsUnavailableReason);
            default -> {
            }
        }
    }

    public Server start() throws Exception {
        return start(MAX_CONNECTIONS);
    }

    public Server start(int maxConnections) throws Exception {
        assumeAvailable();
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        Server server = switch (this) {
            case NETTY_NIO -> new NettyServer(any, Transport.NIO, IO_THREADS, false, maxConnections);
            case NETTY_EPOLL -> new NettyServer(any, Transport.EPOLL, IO_THREADS, false, maxConnections);
            case THREADS_PLATFORM -> new BlockingServer(any, ThreadMode.PLATFORM, 0, maxConnections);
            case THREADS_POOL -> new BlockingServer(any, ThreadMode.POOL, POOL_SIZE, maxConnections);
            case THREADS_VIRTUAL -> new BlockingServer(any, ThreadMode.VIRTUAL, 0, maxConnections);
        };
        server.start();
        return server;
    }
}
