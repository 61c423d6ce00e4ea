package dev.netplay.server.threads;

import dev.netplay.server.core.ThreadMode;

import dev.netplay.server.core.ServerSettings;
import dev.netplay.server.core.ServerStats;
import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * Thread per connection with reused threads: each connection runs on a thread of a cached pool
 * ({@link Executors#newCachedThreadPool}), which starts a thread only when none is idle and lets one go after 60 s
 * idle. Set beside {@code threads-platform} it separates what a thread costs to start from what it costs to keep:
 * with long-lived connections they are alike, since every connection still holds its thread for its whole life.
 *
 * <p>The example model of docs/EXTENDING.md: one class, registered on one line of {@code ServerModels}.
 */
public final class CachedThreadsServer implements Server {
    private final BlockingServer server;

    public CachedThreadsServer(ServerConfig config) {
        this.server = new BlockingServer(config, "threads-cached", 0,
                Executors.newCachedThreadPool(ThreadMode.namedThreads("netplay-cached-")));
    }

    @Override
    public void start() throws Exception {
        server.start();
    }

    @Override
    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public ServerSettings settings() {
        return server.settings();
    }

    @Override
    public ServerStats stats() {
        return server.stats();
    }

    @Override
    public boolean stop(Duration grace) {
        return server.stop(grace);
    }
}
