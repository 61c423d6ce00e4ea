package dev.netplay.server;

import dev.netplay.common.metrics.ProcessMetrics;
import dev.netplay.server.blocking.BlockingServer;
import dev.netplay.server.blocking.ThreadMode;
import dev.netplay.server.cached.CachedThreadsServer;
import dev.netplay.server.netty.NettyServer;
import dev.netplay.server.nio.SelectorServer;
import dev.netplay.server.netty.Transport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Every server model, by name: the one list {@code scripts/server}, {@code scripts/compare --models} and the tests
 * that run on every model read. A model of your own is one class implementing {@link Server} and one line in
 * {@link #PROJECT} (see docs/EXTENDING.md); models from other jars or the tests come through
 * {@link ModelRegistration}.
 */
public final class ServerModels {
    /** The netty-offload model's executor: 64 threads, as a modest servlet-style worker pool. */
    static final int OFFLOAD_THREADS = 64;

    private static final List<ServerModel> PROJECT = List.of(
            new ServerModel("netty", "the event loop: a few I/O threads serve every connection; SLEEP is a timer (epoll where available)",
                    List.of("netty"), c -> netty(c, Transport.AUTO, false), () -> null, true),
            new ServerModel("netty-nio", "the event loop on Java's NIO selector rather than epoll",
                    List.of("netty", "--transport", "nio"), c -> netty(c, Transport.NIO, false), () -> null, false),
            new ServerModel("netty-io_uring", "the event loop on Linux io_uring rather than epoll",
                    List.of("netty", "--transport", "io_uring"), c -> netty(c, Transport.IO_URING, false),
                    Transport.IO_URING::unavailableReason, false),
            new ServerModel("netty-blocking", "the classic mistake: SLEEP blocks the event loop with Thread.sleep",
                    List.of("netty", "--blocking-sleep"), c -> netty(c, Transport.AUTO, true), () -> null, false),
            new ServerModel("netty-offload", "the fix for blocking code: SLEEP blocks, but on one of " + OFFLOAD_THREADS
                    + " offload threads, and the reply comes back through the event loop",
                    List.of("netty", "--blocking-sleep", "--offload", Integer.toString(OFFLOAD_THREADS)),
                    c -> ((NettyServer) netty(c, Transport.AUTO, true)).offload(OFFLOAD_THREADS), () -> null, false),
            new ServerModel("netty-vthreads", "the event loop for I/O, a new virtual thread per request for the blocking "
                    + "code (SLEEP, WORK, backend calls), as Quarkus and Helidon run it (Java 21+)",
                    List.of("netty", "--blocking-sleep", "--offload", "virtual"),
                    c -> ((NettyServer) netty(c, Transport.AUTO, true)).offloadVirtual(),
                    ThreadMode::virtualThreadsUnavailableReason, false),
            new ServerModel("threads-platform", "a new platform thread per connection; SLEEP is Thread.sleep",
                    List.of("threads", "--threads", "platform"), c -> threads(c, ThreadMode.PLATFORM), () -> null, true),
            new ServerModel("threads-virtual", "a virtual thread per connection (Java 21+)",
                    List.of("threads", "--threads", "virtual"), c -> threads(c, ThreadMode.VIRTUAL),
                    ThreadMode::virtualThreadsUnavailableReason, true),
            new ServerModel("threads-pool", "a fixed pool of " + BlockingServer.DEFAULT_POOL_SIZE
                    + " threads, like a servlet container's maxThreads: connections beyond it wait",
                    List.of("threads", "--threads", "pool"), c -> threads(c, ThreadMode.POOL), () -> null, true),
            ServerModel.of("nio", "a bare java.nio event loop: one thread, a Selector, SLEEP as a deadline in a priority queue",
                    SelectorServer::new).comparedOnRequest(),
            // Models of your own: one line each, e.g.
            ServerModel.of("threads-cached", "a thread per connection from a cached pool: threads are reused",
                    CachedThreadsServer::new).comparedOnRequest());

    private ServerModels() {
    }

    /** Every registered model, the project's first, in order. */
    public static List<ServerModel> all() {
        Map<String, ServerModel> byName = new LinkedHashMap<>();
        List<ServerModel> models = new ArrayList<>(PROJECT);
        for (ModelRegistration registration : ServiceLoader.load(ModelRegistration.class)) {
            models.addAll(registration.models());
        }
        for (ServerModel model : models) {
            if (byName.putIfAbsent(model.name(), model) != null) {
                throw new IllegalStateException("two server models are named '" + model.name() + "'");
            }
        }
        return List.copyOf(byName.values());
    }

    /** The model of this name; an unknown name fails naming the known ones. */
    public static ServerModel named(String name) {
        for (ServerModel model : all()) {
            if (model.name().equalsIgnoreCase(name.trim())) {
                return model;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a server model (expected one of: " + String.join(", ", names()) + ")");
    }

    public static List<String> names() {
        return Collections.unmodifiableList(all().stream().map(ServerModel::name).toList());
    }

    /** The models that have no subcommand of their own: {@code scripts/server NAME} starts them with the common options. */
    static List<ServerModel> withoutOwnCommand() {
        return all().stream().filter(m -> m.serverArgs().equals(List.of(m.name())) && !m.name().equals("netty")).toList();
    }

    private static Server netty(ServerConfig c, Transport transport, boolean blockingSleep) {
        return new NettyServer(c.address(), transport, ProcessMetrics.availableProcessors(), blockingSleep, c.maxConnections(),
                c.idleTimeout(), c.maxClientMemoryBytes()).guards(c.guards()).backend(c.backend());
    }

    private static Server threads(ServerConfig c, ThreadMode mode) {
        BlockingServer server = new BlockingServer(c.address(), mode, BlockingServer.DEFAULT_POOL_SIZE, c.maxConnections(),
                BlockingServer.namedThreads("netplay-conn-"), c.maxClientMemoryBytes());
        server.setIdleTimeout(c.idleTimeout());
        server.guards(c.guards());
        server.backend(c.backend());
        return server;
    }
}
