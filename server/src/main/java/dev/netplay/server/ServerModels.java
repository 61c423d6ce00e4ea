package dev.netplay.server;

import dev.netplay.server.threads.BlockingServer;
import dev.netplay.server.core.ThreadMode;
import dev.netplay.server.threads.CachedThreadsServer;
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
            ServerModel.commandLine("netty", "the event loop: a few I/O threads serve every connection; SLEEP is a timer "
                    + "(epoll where available)", "netty"),
            ServerModel.commandLine("netty-nio", "the event loop on Java's NIO selector rather than epoll",
                    "netty", "--transport", "nio").comparedOnRequest(),
            ServerModel.commandLine("netty-io_uring", "the event loop on Linux io_uring rather than epoll",
                    "netty", "--transport", "io_uring").comparedOnRequest().unavailableWhen(Transport.IO_URING::unavailableReason),
            ServerModel.commandLine("netty-blocking", "the classic mistake: SLEEP blocks the event loop with Thread.sleep",
                    "netty", "--blocking-sleep").comparedOnRequest(),
            ServerModel.commandLine("netty-offload", "the fix for blocking code: SLEEP blocks, but on one of " + OFFLOAD_THREADS
                    + " offload threads, and the reply comes back through the event loop",
                    "netty", "--blocking-sleep", "--offload", Integer.toString(OFFLOAD_THREADS)).comparedOnRequest(),
            ServerModel.commandLine("netty-vthreads", "the event loop for I/O, a new virtual thread per request for the "
                    + "blocking code (SLEEP, WORK, backend calls), as Quarkus and Helidon run it (Java 21+)",
                    "netty", "--blocking-sleep", "--offload", "virtual").comparedOnRequest()
                    .unavailableWhen(ThreadMode::virtualThreadsUnavailableReason),
            ServerModel.commandLine("threads-platform", "a new platform thread per connection; SLEEP is Thread.sleep",
                    "threads", "--threads", "platform"),
            ServerModel.commandLine("threads-virtual", "a virtual thread per connection (Java 21+)",
                    "threads", "--threads", "virtual").unavailableWhen(ThreadMode::virtualThreadsUnavailableReason),
            ServerModel.commandLine("threads-pool", "a fixed pool of " + BlockingServer.DEFAULT_POOL_SIZE
                    + " threads, like a servlet container's maxThreads: connections beyond it wait",
                    "threads", "--threads", "pool"),
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
            String first = model.serverArgs().isEmpty() ? "" : model.serverArgs().get(0);
            if (!ServerMain.MODEL_COMMANDS.contains(first) && !model.serverArgs().equals(List.of(model.name()))) {
                throw new IllegalStateException("server model '" + model.name() + "' has the command line "
                        + model.serverArgs() + ": it must start with one of " + ServerMain.MODEL_COMMANDS
                        + " or be its own name alone (ServerModel.of)");
            }
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
}
