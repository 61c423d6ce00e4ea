package dev.netplay.server;

import dev.netplay.server.core.Server;

import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * The event loop keeps reading a connection while its request waits, so it sees the client go: a reset ends the
 * pending SLEEP's timer and the connection at once, where a thread asleep in {@code Thread.sleep} does not know
 * until it wakes and writes its reply. A client that only half-closes still gets its replies.
 */
class EventLoopConnectionTest {
    private static final int CLIENTS = 200;
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    /** {@code clients} connections, each with {@code request} in flight. */
    private List<Socket> sleepers(int clients, String request) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Socket s = new Socket(server.address().getAddress(), server.address().getPort());
            s.getOutputStream().write((request + "\r\n").getBytes(StandardCharsets.US_ASCII));
            sockets.add(s);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().requestsInFlight() == clients);
        return sockets;
    }

    private static void reset(List<Socket> clients) throws Exception {
        for (Socket s : clients) {
            s.setSoLinger(true, 0); // close with a reset: the client is gone, not half-closed
            s.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "NETTY_NIO", "nio"})
    void clientsThatResetDuringALongSleepAreGoneAtOnce(ModelUnderTest model) throws Exception {
        server = model.start();
        reset(sleepers(CLIENTS, "SLEEP 60000"));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().connectedClients() == 0);
        assertThat(server.stats().requestsInFlight()).as("their SLEEPs ended with them").isZero();
        try (RespClient fresh = new RespClient(server.address())) {
            assertThat(fresh.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "NETTY_NIO"})
    void aGracefulStopRightAfterSuchResetsDoesNotWaitForTheirTimers(ModelUnderTest model) throws Exception {
        server = model.start();
        reset(sleepers(CLIENTS, "SLEEP 60000"));
        Server stopping = server;
        server = null;

        // The timers would hold a 60 s grace period to its end; a generous bound, far below it.
        boolean drained = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> stopping.stop(Duration.ofSeconds(60)));

        assertThat(drained).as("nothing was left in flight").isTrue();
    }

    @Tag("full") // a long test: mvn -B verify -Pfull
    @ParameterizedTest
    @ValueSource(strings = {"THREADS_PLATFORM", "THREADS_VIRTUAL"})
    void aThreadAsleepDoesNotNoticeItsClientLeaveUntilItWakes(ModelUnderTest model) throws Exception {
        server = model.start();
        int clients = 20;
        reset(sleepers(clients, "SLEEP 5000"));

        // Each thread is inside Thread.sleep: nothing reads its socket, so the reset waits in the kernel.
        assertThat(server.stats().connectedClients()).isEqualTo(clients);
        assertThat(server.stats().requestsInFlight()).isEqualTo(clients);
        // It wakes, writes +OK into a reset socket, fails, and only then lets the connection go.
        await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().connectedClients() == 0);
        assertThat(server.stats().requestsInFlight()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "NETTY_NIO"})
    void aClientThatHalfClosesDuringASleepStillGetsEveryReply(ModelUnderTest model) throws Exception {
        server = model.start();
        try (RespClient client = new RespClient(server.address())) {
            client.send("SLEEP 300\r\nECHO after\r\n");
            assertThat(client.finishAndReadAll()).asString(StandardCharsets.US_ASCII).isEqualTo("+OK\r\n$5\r\nafter\r\n");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().connectedClients() == 0);
    }
}
