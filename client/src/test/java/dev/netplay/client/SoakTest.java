package dev.netplay.client;

import org.junit.jupiter.api.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netplay.common.cli.ExitCodes;
import dev.netplay.server.core.Server;
import dev.netplay.server.threads.BlockingServer;
import dev.netplay.server.core.ThreadMode;
import dev.netplay.server.testing.ModelUnderTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing lost: 2000 connections send unique ECHO payloads for 30 s against each model. Every reply matches its
 * request, the number sent equals the number answered, and the server's own count agrees with the client's.
 */
@Tag("full") // a long test: mvn -B verify -Pfull
class SoakTest {
    private static final int CONNECTIONS = 2000;

    @TempDir
    Path out;

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#project") // a minute per model: the project's own
    void everyUniqueEchoComesBackAndTheServerCountsTheSame(ModelUnderTest model) throws Exception {
        // A pool smaller than the connections starves the rest by design (LoadRunTest shows that); here it must not.
        Server server;
        if (model == ModelUnderTest.THREADS_POOL) {
            server = new BlockingServer(new InetSocketAddress("127.0.0.1", 0), ThreadMode.POOL, CONNECTIONS + 2, CONNECTIONS + 10); // + 2: the sampler's control connection and the probe
            server.start();
        } else {
            server = model.start();
        }
        try {
            LoadOptionsValidationTest.Outcome outcome = LoadOptionsValidationTest.client("run",
                    "--target", "soak=127.0.0.1:" + server.address().getPort(), "--connections", Integer.toString(CONNECTIONS),
                    "--request", "ECHO soak", "--unique-payloads", "--pipeline", "2", "--warmup", "0s", "--duration", "30s",
                    "--out", out.toString());
            assertThat(outcome.exit()).as(outcome.err()).isEqualTo(ExitCodes.OK);
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
        JsonNode target = new ObjectMapper().readTree(out.resolve("results.json").toFile()).at("/targets/0");
        JsonNode totals = target.get("totals");
        long sent = totals.get("sent").asLong();
        assertThat(sent).as("a real soak").isGreaterThan(100_000);
        assertThat(totals.get("completed").asLong()).as("answered, each with its own payload").isEqualTo(sent);
        for (String kind : new String[] {"wrong_reply", "server_error", "closed_mid_request", "timeouts"}) {
            assertThat(totals.get(kind).asLong()).as(kind).isZero();
        }
        assertThat(totals.get("established").asLong()).isEqualTo(CONNECTIONS);
        assertThat(totals.get("server_commands").asLong()).as("the server's count: the load, the sampler's INFOs, the probe's PINGs")
                .isEqualTo(sent + totals.get("sampler_info_requests").asLong() + totals.get("probe_requests").asLong());
    }
}
