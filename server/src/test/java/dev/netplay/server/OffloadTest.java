package dev.netplay.server;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import dev.netplay.server.netty.NettyServer;
import dev.netplay.server.netty.Transport;
import dev.netplay.server.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code netty --offload N}: blocking SLEEPs and WORK run on N named threads, and each reply comes back through its
 * connection's event loop, in request order; the loop stays free for other connections meanwhile.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests mostly wait (for timeouts, a model each): side by side in the fast set
class OffloadTest {
    private static final int OFFLOAD_THREADS = 4;
    /**
     * WORK long enough that a PING sent after it is answered first only if WORK is off the loop: about 2 s on Java 17,
     * 0.3 s on Java 25 (whose SHA-256 uses the CPU's instructions), either way far longer than a PING's round trip.
     */
    private static final String LONG_WORK = "WORK 5000000";
    private NettyServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    /** One event loop thread, so that every connection shares it: what blocks it blocks them all. */
    private NettyServer start(boolean blockingSleep, int offload) throws Exception {
        server = new NettyServer(new InetSocketAddress("127.0.0.1", 0), Transport.NIO, 1, blockingSleep, 1_000).offload(offload);
        server.start();
        return server;
    }

    @Test
    void pipelinedRepliesComeBackInRequestOrder() throws Exception {
        start(true, OFFLOAD_THREADS);
        try (RespClient client = new RespClient(server.address())) {
            client.send("SLEEP 100\r\nPING\r\nWORK 1\r\nECHO x\r\nSLEEP 20\r\nDATA 3\r\nPING\r\n");
            assertThat(client.finishAndReadAll()).asString(StandardCharsets.US_ASCII).isEqualTo("+OK\r\n+PONG\r\n"
                    + "$64\r\n66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925\r\n$1\r\nx\r\n+OK\r\n$3\r\nabc\r\n+PONG\r\n");
        }
    }

    @Test
    void theExecutorsThreadsAreBoundedAndNamedAndInfoSaysSo() throws Exception {
        start(true, OFFLOAD_THREADS);
        List<RespClient> sleepers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sleepers.add(new RespClient(server.address()).send("SLEEP 500\r\n"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> offloadThreads() == OFFLOAD_THREADS);
        assertThat(offloadThreads()).as("never more than N, however many wait").isEqualTo(OFFLOAD_THREADS);
        try (RespClient control = new RespClient(server.address())) {
            assertThat(control.info()).containsEntry("sleep_mode", "offloaded").containsEntry("pool_size", "4");
        }
        for (RespClient c : sleepers) {
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            c.close();
        }
    }

    private static long offloadThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("netplay-offload-")).count();
    }

    @Test
    void pingStaysAnsweredWhileWorkRunsOffloadedOrInSlicesButWaitsWhenWorkBlocksTheLoop() throws Exception {
        start(false, OFFLOAD_THREADS);
        assertThat(whichFirst()).as("WORK offloaded: the loop answers PING meanwhile").isEqualTo("PING");
        server.stop(Duration.ZERO);
        start(false, 0);
        assertThat(whichFirst()).as("WORK on the loop in slices (the default): PING between two").isEqualTo("PING");
        server.stop(Duration.ZERO);
        start(true, 0);
        assertThat(whichFirst()).as("WORK blocking the loop whole (netty-blocking, the lesson): PING waits for it").isEqualTo("WORK");
    }

    /**
     * Sends a long WORK, then a PING on another connection: which reply came first. On loopback a reply is in its
     * client's socket as soon as the server wrote it, so when the PING's reply is read, the WORK's is there too if
     * and only if it was written first.
     */
    private String whichFirst() throws Exception {
        try (RespClient worker = new RespClient(server.address()); RespClient pinger = new RespClient(server.address())) {
            assertThat(pinger.call("PING")).isEqualTo("+PONG\r\n"); // both connected and served once
            worker.send(LONG_WORK + "\r\n");
            // Polled every millisecond: the PING must go out while the WORK runs, not after it.
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> server.stats().requestsInFlight() == 1);
            assertThat(pinger.call("PING")).isEqualTo("+PONG\r\n");
            String first = worker.hasBytesWaiting() ? "WORK" : "PING";
            assertThat(worker.readReply()).startsWith("$64\r\n");
            return first;
        }
    }

    @Test
    void requestsBeyondTheOffloadQueuesBoundGetAnErrorNamingItAndTheRestComplete() throws Exception {
        server = new NettyServer(new InetSocketAddress("127.0.0.1", 0), Transport.NIO, 1, true, 1_000).offload(1, 2);
        server.start();
        List<RespClient> sleepers = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // one runs, two wait
            sleepers.add(new RespClient(server.address()).send("SLEEP 300\r\n"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().requestsInFlight() == 3);
        try (RespClient late = new RespClient(server.address())) {
            assertThat(late.call("SLEEP", "1")).isEqualTo("-ERR offload queue full: 2 requests already wait for the offload "
                    + "threads (netty --offload-queue)\r\n");
        }
        for (RespClient c : sleepers) {
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            c.close();
        }
        assertThat(server.stats().rejectedRequests()).isEqualTo(1);
    }

    @Test
    void clientsThatLeaveWhileTheirSleepsWaitForTheOffloadThreadsCostThePoolNothing() throws Exception {
        start(true, OFFLOAD_THREADS);
        List<java.net.Socket> leavers = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // 4 asleep on the threads, 36 queued behind them: minutes of backlog
            java.net.Socket s = new java.net.Socket(server.address().getAddress(), server.address().getPort());
            s.getOutputStream().write("SLEEP 60000\r\n".getBytes(StandardCharsets.US_ASCII));
            leavers.add(s);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().requestsInFlight() == 40);
        for (java.net.Socket s : leavers) {
            s.setSoLinger(true, 0);
            s.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().requestsInFlight() == 0
                && server.stats().connectedClients() == 0);
        try (RespClient live = new RespClient(server.address())) {
            // Answered at once: the running sleeps were interrupted, the queued ones skipped.
            assertThat(live.call("SLEEP", "1")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void aStopLetsOffloadedSleepsFinishWithinTheGracePeriod() throws Exception {
        start(true, OFFLOAD_THREADS);
        List<RespClient> sleepers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sleepers.add(new RespClient(server.address()).send("SLEEP 300\r\n"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().requestsInFlight() == 8);
        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(10)));
        for (RespClient c : sleepers) {
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            c.close();
        }
        assertThat(stopped.get()).as("every request finished within the grace period").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> offloadThreads() == 0);
    }
}
