package dev.netplay.server.testing;

import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;
import dev.netplay.server.ServerMain;
import dev.netplay.server.core.ServerGuards;
import dev.netplay.server.ServerModel;
import dev.netplay.server.ServerModels;
import dev.netplay.server.core.ThreadMode;
import dev.netplay.server.netty.Transport;
import org.junit.jupiter.api.Assumptions;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A server model the tests run, started in this JVM on 127.0.0.1 and a free port: the project's models in the
 * variants the tests need (both Netty transports, a pool small enough to see waiting), then every other registered
 * model ({@link ServerModels}), so that a model of your own runs the tests that run on every model.
 *
 * <p>{@code @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")} runs a test on every model;
 * {@code @ValueSource(strings = {"NETTY_EPOLL", ...})} on some (JUnit converts the names with {@link #valueOf}).
 */
public final class ModelUnderTest {
    /** The pool model's size in tests: small enough that tests see connections wait for it. */
    public static final int POOL_SIZE = 200;
    public static final int IO_THREADS = 2;
    private static final int MAX_CONNECTIONS = 10_000;

    public static final ModelUnderTest NETTY_NIO = cli("NETTY_NIO", () -> null,
            "netty", "--transport", "nio", "--io-threads", Integer.toString(IO_THREADS));
    public static final ModelUnderTest NETTY_EPOLL = cli("NETTY_EPOLL", Transport.EPOLL::unavailableReason,
            "netty", "--transport", "epoll", "--io-threads", Integer.toString(IO_THREADS));
    public static final ModelUnderTest THREADS_PLATFORM = cli("THREADS_PLATFORM", () -> null, "threads", "--threads", "platform");
    public static final ModelUnderTest THREADS_POOL = cli("THREADS_POOL", () -> null,
            "threads", "--threads", "pool", "--pool-size", Integer.toString(POOL_SIZE));
    public static final ModelUnderTest THREADS_VIRTUAL = cli("THREADS_VIRTUAL", ThreadMode::virtualThreadsUnavailableReason,
            "threads", "--threads", "virtual");

    private static final List<ModelUnderTest> PROJECT = List.of(NETTY_NIO, NETTY_EPOLL, THREADS_PLATFORM, THREADS_POOL, THREADS_VIRTUAL);
    /**
     * Registered models the variants above stand for. netty-io_uring is left to its own test (most kernels and
     * containers here refuse io_uring); netty-blocking blocks its loop on purpose, and netty-offload blocks 64 threads,
     * which the tests of every model (2,000 SLEEPs at once) do not expect; both have tests of their own, as has
     * netty-vthreads (BackendCallsTest, on every registered model).
     */
    private static final Set<String> COVERED = Set.of("netty", "netty-nio", "netty-io_uring", "netty-blocking", "netty-offload",
            "netty-vthreads",
            "threads-platform", "threads-pool", "threads-virtual");

    /** A variant started as {@code scripts/server} would start it: its factory parses the same command line. */
    private static ModelUnderTest cli(String name, java.util.function.Supplier<String> unavailable, String... args) {
        List<String> cliArgs = List.of(args);
        return new ModelUnderTest(name, cliArgs, c -> ServerMain.create(cliArgs, c), unavailable);
    }

    private final String name;
    private final List<String> cliArgs;
    private final ServerModel.Factory factory;
    private final java.util.function.Supplier<String> unavailable;

    private ModelUnderTest(String name, List<String> cliArgs, ServerModel.Factory factory, java.util.function.Supplier<String> unavailable) {
        this.name = name;
        this.cliArgs = cliArgs;
        this.factory = factory;
        this.unavailable = unavailable;
    }

    /** The project's variants above only, for the tests too long to run on every model. */
    public static List<ModelUnderTest> project() {
        return PROJECT;
    }

    /** Every model: the project's variants above, then every other registered model. */
    public static List<ModelUnderTest> values() {
        List<ModelUnderTest> all = new ArrayList<>(PROJECT);
        for (ServerModel model : ServerModels.all()) {
            if (!COVERED.contains(model.name())) {
                all.add(new ModelUnderTest(model.name(), model.serverArgs(), model.factory(), model::unavailableReason));
            }
        }
        return all;
    }

    /** The model of this name ({@code NETTY_EPOLL}, or a registered model's name). */
    public static ModelUnderTest valueOf(String name) {
        return values().stream().filter(m -> m.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model under test is named " + name));
    }

    public String name() {
        return name;
    }

    /** The command-line arguments that start this model with {@code scripts/server}. */
    public List<String> cliArgs() {
        return cliArgs;
    }

    /** Skips the calling test, with the reason, where this model cannot run (epoll off Linux, virtual on Java 17). */
    public void assumeAvailable() {
        String reason = unavailable.get();
        Assumptions.assumeTrue(reason == null, () -> name + ": " + reason);
    }

    public Server start() throws Exception {
        return start(MAX_CONNECTIONS);
    }

    public Server start(int maxConnections) throws Exception {
        return start(ServerConfig.of(new InetSocketAddress("127.0.0.1", 0), maxConnections));
    }

    /** With these guards (timeouts, debug commands), on 127.0.0.1 and a free port. */
    public Server start(ServerGuards guards) throws Exception {
        ServerConfig c = ServerConfig.of(new InetSocketAddress("127.0.0.1", 0), MAX_CONNECTIONS);
        return start(new ServerConfig(c.address(), c.maxConnections(), c.idleTimeout(), c.maxClientMemoryBytes(), guards));
    }

    public Server start(ServerConfig config) throws Exception {
        assumeAvailable();
        Server server = factory.create(config);
        server.start();
        return server;
    }

    @Override
    public String toString() {
        return name;
    }
}
