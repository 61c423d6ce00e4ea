package dev.netplay.server;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;

import dev.netplay.server.backend.BackendSettings;
import dev.netplay.server.core.ServerStats;
import dev.netplay.server.netty.NettyServer;
import dev.netplay.server.netty.Transport;
import dev.netplay.server.testing.FakeBackend;
import dev.netplay.server.testing.RespClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * FETCH and GATHER on every registered model: the replies, and what a bad backend gets the client — down, dying with
 * calls in flight, too slow, answering something else, back again — with every count back to 0 and the server alive;
 * the pool's bound; and redis-server as the backend.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests mostly wait (for timeouts, a model each): side by side in the fast set
class BackendCallsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static List<String> models() {
        return ServerModels.names();
    }

    private static ServerModel model(String name) {
        ServerModel model = ServerModels.named(name);
        Assumptions.assumeTrue(model.unavailableReason() == null, () -> name + ": " + model.unavailableReason());
        return model;
    }

    private static Server front(String name, BackendSettings backend) throws Exception {
        ServerConfig config = ServerConfig.of(new InetSocketAddress("127.0.0.1", 0), 1_000).withBackend(backend);
        Server server = model(name).factory().create(config);
        server.start();
        return server;
    }

    private static BackendSettings backendAt(InetSocketAddress address) {
        return BackendSettings.NONE.withAddress(address);
    }

    /** A netplay netty server as the backend: its SLEEP is the wait. */
    private static NettyServer nettyBackend(int port) throws InterruptedException {
        NettyServer backend = new NettyServer(new InetSocketAddress("127.0.0.1", port), Transport.AUTO, 1, false, 10_000);
        backend.start();
        return backend;
    }

    /** One request's reply as the server wrote it, CRLF removed: {@code +OK}, {@code -ERR ...}. */
    private static String call(RespClient client, String... args) throws IOException {
        return client.call(args).strip();
    }

    private static void awaitCountsBackToZero(ServerStats stats) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(stats.backend().callsInFlight()).as("backend calls in flight").isZero();
            assertThat(stats.requestsInFlight()).as("requests in flight").isZero();
        });
    }

    @ParameterizedTest
    @MethodSource("models")
    void fetchAndGatherAnswerOkWhenTheBackendDoes(String name) throws Exception {
        NettyServer backend = nettyBackend(0);
        Server server = front(name, backendAt(backend.address()));
        try (RespClient client = new RespClient(server.address())) {
            assertThat(call(client, "FETCH", "20")).isEqualTo("+OK");
            assertThat(call(client, "GATHER", "4", "20")).isEqualTo("+OK");
            assertThat(call(client, "FETCH", "0")).isEqualTo("+OK");
            assertThat(call(client, "GATHER", "65", "1")).isEqualTo("-ERR GATHER n is out of range: '65' (expected: 1..64)");
            assertThat(call(client, "GATHER", "0", "1")).isEqualTo("-ERR GATHER n is out of range: '0' (expected: 1..64)");
            assertThat(call(client, "FETCH", "60001")).isEqualTo("-ERR FETCH ms is out of range: '60001' (expected: 0..60000)");
            assertThat(call(client, "GATHER", "2")).startsWith("-ERR wrong number of arguments for 'gather' command");
            assertThat(backend.stats().commandsProcessed()).as("backend SLEEPs").isEqualTo(6);
            assertThat(client.info()).containsEntry("backend", "127.0.0.1:" + backend.address().getPort())
                    .containsEntry("backend_calls", "6").containsEntry("backend_errors", "0");
            awaitCountsBackToZero(server.stats());
        } finally {
            server.stop(Duration.ZERO);
            backend.stop(Duration.ZERO);
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void withoutABackendFetchSaysHowToConfigureOne(String name) throws Exception {
        Server server = front(name, BackendSettings.NONE);
        try (RespClient client = new RespClient(server.address())) {
            assertThat(call(client, "FETCH", "10")).isEqualTo("-ERR FETCH needs a backend: start the server with --backend HOST:PORT");
            assertThat(call(client, "GATHER", "2", "10")).isEqualTo("-ERR GATHER needs a backend: start the server with --backend HOST:PORT");
            assertThat(call(client, "PING")).isEqualTo("+PONG");
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void aBackendDownAtStartGivesEachCallTheReasonThenWorksOnceItIsUp(String name) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Server server = front(name, backendAt(new InetSocketAddress("127.0.0.1", port)));
        NettyServer backend = null;
        try (RespClient client = new RespClient(server.address())) {
            String refused = "-ERR backend unavailable: connection refused (127.0.0.1:" + port + ")";
            assertThat(call(client, "FETCH", "10")).isEqualTo(refused);
            assertThat(call(client, "GATHER", "3", "10")).isEqualTo(refused);
            assertThat(call(client, "PING")).isEqualTo("+PONG");
            backend = nettyBackend(port);
            assertThat(call(client, "FETCH", "10")).as("the pool reconnects").isEqualTo("+OK");
            assertThat(call(client, "GATHER", "3", "10")).isEqualTo("+OK");
            // The FETCH's and the GATHER's: blocking code stops at a GATHER's first failure, an event loop makes all three.
            assertThat(server.stats().backend().errors()).as("failed calls").isBetween(2L, 4L);
            awaitCountsBackToZero(server.stats());
        } finally {
            server.stop(Duration.ZERO);
            if (backend != null) {
                backend.stop(Duration.ZERO);
            }
        }
    }

    /** What a test does with a misbehaving backend, the front server calling it, and a client of the front. */
    @FunctionalInterface
    private interface FakeCase {
        void run(FakeBackend backend, Server server, RespClient client) throws Exception;
    }

    /**
     * Runs {@code body} against {@code model} calling a {@link FakeBackend} that behaves so; afterwards every count is
     * back to 0 and no backend connection is left open, on either side.
     */
    private static void withFakeBackend(String model, FakeBackend.Behaviour behaviour,
                                        java.util.function.UnaryOperator<BackendSettings> tune, FakeCase body) throws Exception {
        try (FakeBackend backend = new FakeBackend(behaviour)) {
            Server server = front(model, tune.apply(backendAt(backend.address())));
            try (RespClient client = new RespClient(server.address())) {
                body.run(backend, server, client);
                awaitCountsBackToZero(server.stats());
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(server.stats().backend().connections()).as("backend connections open (front)").isZero();
                    assertThat(backend.open()).as("connections left open (backend)").isZero();
                });
            } finally {
                server.stop(Duration.ZERO);
            }
        }
    }

    private static String at(FakeBackend backend) {
        return "(127.0.0.1:" + backend.address().getPort() + ")";
    }

    @ParameterizedTest
    @MethodSource("models")
    void aBackendDyingWithCallsInFlightGivesEveryRequestItsErrorAtOnce(String name) throws Exception {
        withFakeBackend(name, FakeBackend.Behaviour.CLOSE, b -> b, (backend, server, client) -> {
            String lost = "-ERR backend unavailable: connection lost with a call in flight " + at(backend);
            assertThat(call(client, "FETCH", "10000")).isEqualTo(lost);
            try (RespClient other = new RespClient(server.address())) {
                assertThat(call(other, "GATHER", "3", "10000")).isEqualTo(lost);
            }
            assertThat(call(client, "PING")).isEqualTo("+PONG");
        });
    }

    @ParameterizedTest
    @MethodSource("models")
    void aBackendSlowerThanTheTimeoutGivesTheTimeoutErrorAndItsConnectionIsDropped(String name) throws Exception {
        withFakeBackend(name, FakeBackend.Behaviour.SILENT, b -> b.withTimeout(Duration.ofMillis(300)), (backend, server, client) -> {
            String timedOut = "-ERR backend timed out after 300 ms " + at(backend);
            assertThat(call(client, "FETCH", "10")).isEqualTo(timedOut);
            assertThat(call(client, "GATHER", "2", "10")).isEqualTo(timedOut);
        });
    }

    @ParameterizedTest
    @MethodSource("models")
    void aReplyThatIsNotTheOneAskedForIsAnErrorAndItsConnectionIsDropped(String name) throws Exception {
        withFakeBackend(name, FakeBackend.Behaviour.WRONG_REPLY, b -> b, (backend, server, client) -> {
            String wrong = "-ERR backend replied '+NOPE', expected '+OK' " + at(backend);
            assertThat(call(client, "FETCH", "10")).isEqualTo(wrong);
            assertThat(call(client, "FETCH", "10")).isEqualTo(wrong);
            assertThat(backend.accepted()).as("a new connection per call: none is reused").isEqualTo(2);
        });
    }

    /** More calls than backend connections: they wait for one, then all complete; the backend never sees more. */
    @ParameterizedTest
    @MethodSource("models")
    void callsBeyondThePoolWaitForAConnectionAndAllComplete(String name) throws Exception {
        NettyServer backend = nettyBackend(0);
        Server server = front(name, backendAt(backend.address()).withConnections(2));
        List<RespClient> clients = new ArrayList<>();
        try {
            List<CompletableFuture<String>> replies = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                RespClient c = new RespClient(server.address());
                clients.add(c);
                replies.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return call(c, "FETCH", "100");
                    } catch (IOException e) {
                        return e.toString();
                    }
                }));
            }
            for (CompletableFuture<String> reply : replies) {
                assertThat(reply.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("+OK");
            }
            // netty's pools are per event loop: each holds its share, rounded up (2 loops at most here: 1 each)
            assertThat(backend.stats().totalConnections()).as("backend connections ever opened").isLessThanOrEqualTo(2);
            awaitCountsBackToZero(server.stats());
        } finally {
            for (RespClient c : clients) {
                c.close();
            }
            server.stop(Duration.ZERO);
            backend.stop(Duration.ZERO);
        }
    }

    /**
     * Clients that ask for long GATHERs and reset at once: their calls end within seconds (counted as cancelled, not
     * as errors), they free the pool's connections, and a client still there gets its FETCH answered.
     */
    @ParameterizedTest
    @MethodSource("models")
    @Tag("full") // about 2 s a model: blocking code looks for its client within 2 s
    void aDepartedClientsCallsEndWithinSecondsAndALiveClientsFetchIsAnswered(String name) throws Exception {
        Assumptions.assumeFalse(name.equals("netty-blocking"), "netty-blocking's event loop blocks in its calls by "
                + "design (the lesson): it hears of a departed client only once they end");
        NettyServer backend = nettyBackend(0);
        Server server = front(name, backendAt(backend.address()).withConnections(4));
        try {
            for (int i = 0; i < 8; i++) {
                java.net.Socket departing = new java.net.Socket("127.0.0.1", server.address().getPort());
                departing.getOutputStream().write(RespClient.multibulk("GATHER", "64", "60000").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                long asked = i + 1;
                await().atMost(WAIT).until(() -> server.stats().commandsProcessed() >= asked);
                departing.setSoLinger(true, 0);
                departing.close(); // a reset, as a client that gave up
            }
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(server.stats().backend().callsInFlight()).as("backend calls in flight").isZero();
                assertThat(server.stats().requestsInFlight()).as("requests in flight").isZero();
            });
            assertThat(server.stats().backend().cancelled()).as("calls cancelled").isPositive();
            assertThat(server.stats().backend().errors()).as("calls failed").isZero();
            try (RespClient live = new RespClient(server.address())) {
                assertThat(call(live, "FETCH", "10")).isEqualTo("+OK");
                assertThat(live.info()).containsEntry("backend_errors", "0").containsKey("backend_calls_cancelled");
            }
        } finally {
            server.stop(Duration.ZERO);
            backend.stop(Duration.ZERO);
        }
    }

    /**
     * Two thousand clients make two FETCHes each and leave, and the backend is killed (SIGKILL) half a second later:
     * a new client's FETCH gets the backend's error within 3 s, not a call that outlives its timeout.
     */
    @ParameterizedTest
    @ValueSource(strings = {"netty", "nio", "threads-platform"})
    @Tag("full")
    void aFetchAfterAClosingStormAndABackendKilledAnswersTheErrorWithinSeconds(String name) throws Exception {
        try (dev.netplay.server.testing.ServerProcess backend = dev.netplay.server.testing.ServerProcess.start(List.of("netty"))) {
            Server server = model(name).factory().create(ServerConfig.of(new InetSocketAddress("127.0.0.1", 0), 10_000)
                    .withBackend(backendAt(backend.address())));
            server.start();
            List<java.net.Socket> storm = new ArrayList<>();
            try {
                byte[] twoFetches = "FETCH 1000\r\nFETCH 1000\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                for (int i = 0; i < 2_000; i++) {
                    java.net.Socket s = new java.net.Socket("127.0.0.1", server.address().getPort());
                    s.getOutputStream().write(twoFetches);
                    storm.add(s);
                }
                for (java.net.Socket s : storm) {
                    s.close();
                }
                Thread.sleep(500); // the attack's timing: the backend dies half a second after the storm
                ProcessHandle.of(backend.pid()).ifPresent(ProcessHandle::destroyForcibly);
                assertThat(backend.awaitExit(10)).as("the backend's exit").isNotZero();
                try (RespClient client = new RespClient(server.address())) {
                    CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
                        try {
                            return call(client, "FETCH", "100");
                        } catch (IOException e) {
                            return e.toString();
                        }
                    });
                    assertThat(reply.get(3, TimeUnit.SECONDS)).startsWith("-ERR backend unavailable");
                }
            } finally {
                for (java.net.Socket s : storm) {
                    s.close();
                }
                server.stop(Duration.ZERO);
            }
        }
    }

    /** Any RESP server can be the backend: redis-server, whose BLPOP on an empty list answers nil after its timeout. */
    @Test
    @Tag("full")
    void redisServerAsTheBackendWithBlpopAsTheWait() throws Exception {
        Path redis = Path.of("/usr/bin/redis-server");
        Assumptions.assumeTrue(Files.isExecutable(redis), "redis-server is not installed (apt-get install redis-server)");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process process = new ProcessBuilder(redis.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            await().atMost(WAIT).ignoreExceptions().until(() -> {
                try (RespClient c = new RespClient(address)) {
                    return call(c, "PING").equals("+PONG");
                }
            });
            for (String name : List.of("netty", "nio", "threads-platform")) {
                Server server = front(name, backendAt(address).withCall("BLPOP netplay:nothing {s}", "*-1"));
                try (RespClient client = new RespClient(server.address())) {
                    long start = System.nanoTime();
                    assertThat(call(client, "GATHER", "3", "200")).as(name).isEqualTo("+OK");
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(name + ": BLPOP waited its timeout")
                            .isGreaterThanOrEqualTo(Duration.ofMillis(200));
                    awaitCountsBackToZero(server.stats());
                } finally {
                    server.stop(Duration.ZERO);
                }
            }
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
