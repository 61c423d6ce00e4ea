package dev.netplay.server.nio;

import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.server.core.ServerSettings;
import dev.netplay.server.core.ServerStats;
import dev.netplay.server.core.ServerConfig;
import dev.netplay.server.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A bug in one connection's handling closes that connection alone: the loop, the listener and the others go on. */
class SelectorServerFailureTest {
    private SelectorServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    @Test
    void aHandlerThrowingForOneConnectionClosesThatConnectionAndTheServerServesOn() throws Exception {
        ServerConfig config = ServerConfig.of(new InetSocketAddress("127.0.0.1", 0), 100);
        ServerSettings settings = new ServerSettings("nio", "nio", 1, 0, ServerSettings.SLEEP_TIMER, 100);
        CommandDispatcher dispatcher = new CommandDispatcher(settings, new ServerStats());
        server = new SelectorServer(config, (session, request) -> {
            if (new String(request.get(0), StandardCharsets.US_ASCII).equals("BOOM")) {
                throw new IllegalStateException("a bug, injected by the test");
            }
            return dispatcher.dispatch(session, request);
        });
        server.start();
        try (RespClient bystander = new RespClient(server.address()); RespClient victim = new RespClient(server.address())) {
            assertThat(bystander.call("PING")).isEqualTo("+PONG\r\n");
            bystander.send("SLEEP 500\r\n"); // a timer of another connection, pending through the failure
            victim.send("BOOM\r\n");
            assertThat(victim.readAll()).as("the failing connection is closed, without a reply").isEmpty();
            assertThat(bystander.readReply()).isEqualTo("+OK\r\n");
            assertThat(bystander.call("PING")).isEqualTo("+PONG\r\n");
        }
        try (RespClient newcomer = new RespClient(server.address())) {
            assertThat(newcomer.call("PING")).as("the listener still accepts").isEqualTo("+PONG\r\n");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().connectedClients() == 0
                && server.stats().requestsInFlight() == 0);
    }
}
