package dev.netplay.server;

import dev.netplay.server.core.Server;

import dev.netplay.server.testing.RespClient;
import dev.netplay.server.testing.ModelUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Exact reply bytes of every command, on every server model. */
class ProtocolIntegrationTest {
    private Server server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    private RespClient connect(ModelUnderTest model) throws Exception {
        if (server == null) {
            server = model.start();
        }
        return new RespClient(server.address());
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void everyCommandGetsItsExactReply(ModelUnderTest model) throws Exception {
        try (RespClient client = connect(model)) {
            assertThat(client.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(client.call("ping", "hello")).isEqualTo("$5\r\nhello\r\n");
            assertThat(client.call("ECHO", "bin\r\n\0ary")).isEqualTo("$9\r\nbin\r\n\0ary\r\n");
            assertThat(client.call("SLEEP", "10")).isEqualTo("+OK\r\n");
            assertThat(client.call("DATA", "30")).isEqualTo("$30\r\nabcdefghijklmnopqrstuvwxyzabcd\r\n");
            assertThat(client.call("DATA", "0")).isEqualTo("$0\r\n\r\n");
            assertThat(client.call("WORK", "1")).isEqualTo("$64\r\n66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925\r\n");
            assertThat(client.call("CONFIG", "GET", "save")).isEqualTo("*0\r\n");
            assertThat(client.call("COMMAND", "DOCS")).isEqualTo("*0\r\n");
            assertThat(client.call("SELECT", "0")).isEqualTo("+OK\r\n");
            assertThat(client.call("SELECT", "3")).isEqualTo("-ERR DB index is out of range\r\n");
            assertThat(client.call("FLUSHALL")).isEqualTo("-ERR unknown command 'FLUSHALL'\r\n");
            assertThat(client.call("SLEEP", "60001")).isEqualTo("-ERR SLEEP ms is out of range: '60001' (expected: 0..60000)\r\n");
            assertThat(client.call("ECHO")).isEqualTo("-ERR wrong number of arguments for 'echo' command (got 0, expected: 1)\r\n");
            assertThat(client.send("ping\r\n").readReply()).as("inline, after errors: still open").isEqualTo("+PONG\r\n");
            assertThat(client.call("QUIT")).isEqualTo("+OK\r\n");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void largeDataRepliesCarryThePatternIntact(ModelUnderTest model) throws Exception {
        int length = 5 * 1024 * 1024 + 7;
        try (RespClient client = connect(model)) {
            String reply = client.call("DATA", Integer.toString(length));
            String header = "$" + length + "\r\n";
            assertThat(reply).startsWith(header).endsWith("\r\n").hasSize(header.length() + length + 2);
            for (int i = 0; i < length; i += 4099) {
                assertThat(reply.charAt(header.length() + i)).isEqualTo((char) ('a' + i % 26));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void malformedFramingGetsAProtocolErrorAndTheConnectionCloses(ModelUnderTest model) throws Exception {
        try (RespClient client = connect(model)) {
            byte[] all = client.send("PING\r\n*1\r\n$9999999\r\n").readAll();
            assertThat(new String(all, StandardCharsets.ISO_8859_1))
                    .isEqualTo("+PONG\r\n-ERR Protocol error: invalid bulk length: '9999999' (expected: 0..1048576)\r\n");
        }
        try (RespClient client = connect(model)) {
            assertThat(client.call("PING")).as("the server goes on").isEqualTo("+PONG\r\n");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void pipelinedRequestsComeBackInOrderAndSleepReallyWaits(ModelUnderTest model) throws Exception {
        try (RespClient client = connect(model)) {
            long start = System.nanoTime();
            client.send("PING\r\n" + RespClient.multibulk("SLEEP", "200") + "ECHO x\r\n");
            assertThat(client.readReply()).isEqualTo("+PONG\r\n");
            assertThat(client.readReply()).isEqualTo("+OK\r\n");
            long sleptMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(client.readReply()).isEqualTo("$1\r\nx\r\n");
            assertThat(sleptMillis).isGreaterThanOrEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void halfClosedClientStillGetsEveryReply(ModelUnderTest model) throws Exception {
        try (RespClient client = connect(model)) {
            byte[] all = client.send("SLEEP 100\r\nECHO done\r\n").finishAndReadAll();
            assertThat(new String(all, StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n$4\r\ndone\r\n");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void connectionsOverTheLimitAreRefusedAndCounted(ModelUnderTest model) throws Exception {
        server = model.start(2);
        try (RespClient first = new RespClient(server.address());
             RespClient second = new RespClient(server.address())) {
            assertThat(first.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(second.call("PING")).isEqualTo("+PONG\r\n");
            try (RespClient third = new RespClient(server.address())) {
                assertThat(third.readAll()).asString(StandardCharsets.US_ASCII).isEqualTo("-ERR max number of clients reached\r\n");
            }
            Map<String, String> info = first.info();
            assertThat(info).containsEntry("connected_clients", "2")
                    .containsEntry("rejected_connections", "1")
                    .containsEntry("total_connections_received", "3")
                    .containsEntry("max_connections", "2");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().connectedClients() == 0);
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void infoNamesTheModelAndCountsConnectionsAndCommands(ModelUnderTest model) throws Exception {
        try (RespClient client = connect(model)) {
            client.call("PING");
            Map<String, String> info = client.info();
            String expectedModel = model.cliArgs().get(0).equals("netty") ? "netty"
                    : model.cliArgs().get(0).equals("threads") ? "threads-" + model.cliArgs().get(2) : model.name();
            assertThat(info).containsEntry("server_model", expectedModel)
                    .containsEntry("connected_clients", "1")
                    .containsEntry("total_commands_processed", "2");
            if (model.cliArgs().get(0).equals("netty") || model.cliArgs().get(0).equals("threads")) {
                assertThat(info.get("sleep_mode")).isEqualTo(expectedModel.equals("netty") ? "timer" : "blocking");
            } else {
                assertThat(info.get("sleep_mode")).as("a model of its own says how it waits").isIn("timer", "blocking", "offloaded");
            }
            assertThat(Long.parseLong(info.get("rss_bytes"))).isPositive();
            assertThat(Long.parseLong(info.get("process_cpu_ns"))).isPositive();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void infoExplainsWhereTheServersTimeWent(ModelUnderTest model) throws Exception {
        try (RespClient client = connect(model)) {
            assertThat(client.call("SLEEP", "20")).isEqualTo("+OK\r\n");
            assertThat(client.call("SLEEP", "20")).isEqualTo("+OK\r\n");
            assertThat(client.call("MEMORY", "PURGE")).isEqualTo("+OK\r\n");
            String reply = client.call("INFO", "everything");
            Map<String, String> info = dev.netplay.common.protocol.InfoText.parse(reply);
            assertThat(info).containsEntry("sleeps", "2").containsEntry("requests_in_flight", "1");
            long p50 = Long.parseLong(info.get("sleep_overshoot_p50_us"));
            long p99 = Long.parseLong(info.get("sleep_overshoot_p99_us"));
            assertThat(p50).isBetween(0L, 1_000_000L);
            assertThat(p99).isGreaterThanOrEqualTo(p50);
            assertThat(Long.parseLong(info.get("gc_pauses"))).as("MEMORY PURGE collected").isPositive();
            assertThat(Long.parseLong(info.get("heap_live_bytes"))).isPositive()
                    .isLessThanOrEqualTo(Long.parseLong(info.get("heap_max_bytes")));
            assertThat(Long.parseLong(info.get("process_cpu_user_ns"))).isPositive();
            assertThat(Long.parseLong(info.get("process_cpu_sys_ns"))).isNotNegative();
            assertThat(Long.parseLong(info.get("sched_threads"))).isPositive();
            assertThat(Long.parseLong(info.get("ctx_switches_voluntary")) + Long.parseLong(info.get("ctx_switches_involuntary"))).isPositive();
            assertThat(Long.parseLong(info.get("runqueue_wait_ns"))).isNotNegative();
            assertThat(Long.parseLong(info.get("sched_read_cpu_ns"))).isNotNegative();
        }
    }
}
