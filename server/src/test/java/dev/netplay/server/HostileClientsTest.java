package dev.netplay.server;

import dev.netplay.common.protocol.RequestClock;
import dev.netplay.common.protocol.ServerGuards;
import dev.netplay.server.testing.AttackWatch;
import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that mean harm, on every model: none of them stops the server for anyone else, holds a slot it does not
 * use, or makes a stop lose a request silently (docs/RELIABILITY.md, "Attacks").
 */
class HostileClientsTest {
    private static final String SHUTTING_DOWN = new String(RequestClock.SHUTTING_DOWN, StandardCharsets.US_ASCII);
    private static final ServerGuards SHORT_REQUEST_TIMEOUT = ServerGuards.DEFAULTS.withRequestTimeout(Duration.ofSeconds(1));
    private static final ServerGuards SHORT_WRITE_TIMEOUT = ServerGuards.DEFAULTS.withWriteTimeout(Duration.ofSeconds(1));
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    static List<ModelUnderTest> models() {
        return ModelUnderTest.values();
    }

    /** Every model, and netty-offload, whose queue and threads a stop must answer too. */
    static List<Object> modelsAndOffload() {
        List<Object> all = new ArrayList<>(ModelUnderTest.values());
        all.add("netty-offload");
        return all;
    }

    private Server start(Object model, ServerGuards guards) throws Exception {
        if (model instanceof ModelUnderTest m) {
            return m.start(guards);
        }
        ServerConfig c = ServerConfig.of(new InetSocketAddress("127.0.0.1", 0), 10_000);
        Server s = ServerModels.named((String) model).factory().create(new ServerConfig(c.address(), c.maxConnections(),
                c.idleTimeout(), c.maxClientMemoryBytes(), guards));
        s.start();
        return s;
    }

    @ParameterizedTest
    @MethodSource("modelsAndOffload")
    void aStopWithABacklogLongerThanTheGraceAnswersEveryRequestWithItsReplyOrTheStoppingError(Object model) throws Exception {
        server = start(model, ServerGuards.DEFAULTS);
        List<RespClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(new RespClient(server.address()).send("SLEEP 10000\r\nPING\r\n"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().requestsInFlight() == 20);
        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofMillis(300)));
        for (RespClient c : clients) {
            assertThat(new String(c.readAll(), StandardCharsets.US_ASCII)).as("both requests answered, then EOF")
                    .isEqualTo(SHUTTING_DOWN + SHUTTING_DOWN);
            c.close();
        }
        assertThat(stopped.get(30, TimeUnit.SECONDS)).as("the grace ran out").isFalse();
        assertThat(server.stats().shutdownErrors()).isEqualTo(40);
        assertThat(server.stats().requestsInFlight()).isZero();
        server = null;
    }

    @ParameterizedTest
    @MethodSource("models")
    void aRequestDrippedByteByByteIsCutAtTheRequestTimeoutWhileAWholeOneInTimeIsServed(ModelUnderTest model) throws Exception {
        server = model.start(SHORT_REQUEST_TIMEOUT);
        try (RespClient inTime = new RespClient(server.address())) {
            inTime.send("*2\r\n$4\r\nECHO\r\n");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300)); // a slow client, well within the timeout
            assertThat(inTime.send("$2\r\nok\r\n").readReply()).isEqualTo("$2\r\nok\r\n");
        }
        try (Socket drip = new Socket(server.address().getAddress(), server.address().getPort())) {
            OutputStream out = drip.getOutputStream();
            byte[] request = "*2\r\n$4\r\nECHO\r\n$100\r\n".getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            InputStream in = drip.getInputStream();
            for (int i = 0; i < request.length && in.available() == 0; i++) {
                out.write(request[i]); // each byte would restart an idle timer
                out.flush();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            drip.setSoTimeout(10_000);
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("-ERR Protocol error: request not complete within 1000 ms (--request-timeout)\r\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cut near the timeout").isLessThan(Duration.ofSeconds(8));
        }
        assertThat(server.stats().timedOutRequests()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().connectedClients() == 0);
    }

    @ParameterizedTest
    @MethodSource("models")
    void aReplyThatMakesNoProgressClosesItsConnectionWhileASlowReaderThatKeepsReadingIsServed(ModelUnderTest model) throws Exception {
        server = model.start(SHORT_WRITE_TIMEOUT);
        try (Socket slow = new Socket(server.address().getAddress(), server.address().getPort())) {
            slow.setReceiveBufferSize(16 * 1024);
            slow.getOutputStream().write("DATA 1048576\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = slow.getInputStream();
            byte[] chunk = new byte[64 * 1024];
            long read = 0;
            long expected = "$1048576\r\n".length() + 1_048_576 + 2;
            while (read < expected) {
                int n = in.read(chunk);
                assertThat(n).as("the slow reader is never cut").isPositive();
                read += n;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // about 3 MB/s at most: slow, but moving
            }
        }
        try (Socket stalled = new Socket(server.address().getAddress(), server.address().getPort())) {
            stalled.getOutputStream().write("DATA 67108864\r\n".getBytes(StandardCharsets.US_ASCII)); // and never read
            await().atMost(Duration.ofSeconds(20)).until(() -> server.stats().stalledWritesClosed() == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().connectedClients() == 0
                && server.stats().requestsInFlight() == 0);
    }

    @ParameterizedTest
    @MethodSource("models")
    void readersOfTheSharedDataPatternThatNeverReadHoldNoneOfItAsTheirOwnMemory(ModelUnderTest model) throws Exception {
        long budget = 2L * 1024 * 1024; // 50 readers each holding 64 KiB of the pattern would pass it
        ServerConfig c = ServerConfig.of(new InetSocketAddress("127.0.0.1", 0), 10_000);
        server = model.start(new ServerConfig(c.address(), c.maxConnections(), c.idleTimeout(), budget, ServerGuards.DEFAULTS));
        List<Socket> readers = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(16 * 1024); // so that the reply outgrows what the kernel's buffers take
                s.connect(server.address());
                s.getOutputStream().write("DATA 67108864\r\n".getBytes(StandardCharsets.US_ASCII));
                readers.add(s);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().requestsInFlight() == 50);
            try (RespClient control = new RespClient(server.address())) {
                assertThat(control.call("PING")).isEqualTo("+PONG\r\n");
            }
            assertThat(server.stats().clientMemory().usedBytes()).as("what the readers hold of their own").isLessThan(budget / 2);
            assertThat(server.stats().clientMemory().evictions()).isZero();
        } finally {
            for (Socket s : readers) {
                s.close();
            }
        }
    }

    /** Two clients pipeline long WORK and leave: everyone else is answered throughout, and their work ends. */
    @Tag("full")
    @ParameterizedTest
    @MethodSource("models")
    void clientsPipeliningLongWorkThenLeavingStopNoOneElse(ModelUnderTest model) throws Exception {
        server = model.start(ServerGuards.DEFAULTS);
        AttackWatch watch = new AttackWatch(server.address(), 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> watch.echoes() > 100);
        List<Socket> attackers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Socket s = new Socket(server.address().getAddress(), server.address().getPort());
            s.getOutputStream().write("WORK 2000000\r\n".repeat(150).getBytes(StandardCharsets.US_ASCII));
            attackers.add(s);
        }
        long probesBefore = watch.probes();
        await().atMost(Duration.ofSeconds(20)).until(() -> watch.probes() >= probesBefore + 20); // 2 s of attack
        for (Socket s : attackers) {
            s.setSoLinger(true, 0);
            s.close();
        }
        long probesAtReset = watch.probes();
        await().atMost(Duration.ofSeconds(20)).until(() -> watch.probes() >= probesAtReset + 20); // 2 s after
        watch.close();
        System.out.printf("%s, two pipelines of WORK 2000000: %s%n", model, watch);
        assertThat(watch.pingMillisAt(99)).as("a fresh connection's PING, p99 (ms)").isLessThan(1_000);
        assertThat(watch.wrongReplies()).isZero();
        assertThat(watch.failedClients()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().requestsInFlight() == 0
                && server.stats().connectedClients() == 0);
    }
}
