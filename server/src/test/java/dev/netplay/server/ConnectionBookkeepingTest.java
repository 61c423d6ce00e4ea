package dev.netplay.server;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import dev.netplay.server.core.Server;

import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every registered model keeps its books: whatever ends a request or a connection (a reply, a client that leaves
 * mid-SLEEP or mid-DATA, QUIT, a framing error, a half-close with requests pending), the server's counts of
 * connections, requests in flight and client memory come back to zero.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests mostly wait (for timeouts, a model each): side by side in the fast set
class ConnectionBookkeepingTest {
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

    @ParameterizedTest
    @MethodSource("models")
    void everyWayAConnectionEndsBringsTheCountsBackToZero(ModelUnderTest model) throws Exception {
        model.assumeAvailable();
        server = model.start();
        List<AutoCloseable> open = new ArrayList<>();
        try (RespClient control = new RespClient(server.address())) {
            assertThat(control.call("PING")).isEqualTo("+PONG\r\n");
            // Requests in flight when their clients leave: a SLEEP (its close, a FIN, reads as a half-close: the
            // server answers it when it is due, then closes), a DATA larger than the socket buffers.
            RespClient sleeper = new RespClient(server.address()).send("SLEEP 2000\r\n");
            RespClient reader = new RespClient(server.address()).send("DATA 50000000\r\n");
            open.add(sleeper);
            open.add(reader);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().requestsInFlight() == 2);
            sleeper.close();
            reader.close();
            // QUIT, a framing error, a half-close with two requests pending, a plain close after a reply.
            try (RespClient quitter = new RespClient(server.address())) {
                assertThat(quitter.call("QUIT")).isEqualTo("+OK\r\n");
            }
            try (RespClient garbled = new RespClient(server.address())) {
                assertThat(new String(garbled.send("*1\r\n+PING\r\n").readAll())).startsWith("-ERR Protocol error");
            }
            try (RespClient halfClosed = new RespClient(server.address())) {
                String replies = new String(halfClosed.send("PING\r\nSLEEP 50\r\n").finishAndReadAll());
                assertThat(replies).isEqualTo("+PONG\r\n+OK\r\n");
            }
            try (Socket plain = new Socket(server.address().getAddress(), server.address().getPort())) {
                plain.getOutputStream().write("PING\r\n".getBytes());
                assertThat(plain.getInputStream().readNBytes(7)).isEqualTo("+PONG\r\n".getBytes());
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(server.stats().connectedClients()).as("connected: the control connection alone").isEqualTo(1);
                assertThat(server.stats().requestsInFlight()).as("requests in flight").isZero();
            });
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(server.stats().connectedClients()).isZero();
            assertThat(server.stats().requestsInFlight()).isZero();
            assertThat(server.stats().clientMemory().usedBytes()).as("client memory").isZero();
        });
    }
}
