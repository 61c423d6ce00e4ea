package dev.netplay.server;

import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event loop keeps reading a connection while its request waits, so it sees the client go: a reset ends the
 * pending SLEEP's timer and the connection at once, where a thread asleep in {@code Thread.sleep} would not know
 * until it wrote its reply. A client that only half-closes still gets its replies.
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

    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "NETTY_NIO"})
    void clientsThatResetDuringALongSleepAreGoneAtOnce(ModelUnderTest model) throws Exception {
        server = model.start();
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Socket s = new Socket(server.address().getAddress(), server.address().getPort());
            s.getOutputStream().write("SLEEP 60000\r\n".getBytes(StandardCharsets.US_ASCII));
            clients.add(s);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().requestsInFlight() == CLIENTS);
        for (Socket s : clients) {
            s.setSoLinger(true, 0); // close with a reset: the client is gone, not half-closed
            s.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().connectedClients() == 0);
        assertThat(server.stats().requestsInFlight()).as("their SLEEPs ended with them").isZero();
        try (RespClient fresh = new RespClient(server.address())) {
            assertThat(fresh.call("PING")).isEqualTo("+PONG\r\n");
        }
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
