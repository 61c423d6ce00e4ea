package dev.netplay.server;

import dev.netplay.server.testing.ModelUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** redis-cli and redis-benchmark, where installed (.ci/run installs redis-tools), are real clients of every model. */
class RealClientsTest {
    private static final long TOOL_TIMEOUT_SECONDS = 120;
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    private static void assumeInstalled(String tool) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            found |= Files.isExecutable(Path.of(dir, tool));
        }
        Assumptions.assumeTrue(found, tool + " is not installed (apt-get install redis-tools)");
    }

    /** Runs a tool; returns its exit code and output. */
    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        return List.of(Integer.toString(p.exitValue()), new String(out, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void redisCliPingsAndEchoes(ModelUnderTest model) throws Exception {
        assumeInstalled("redis-cli");
        server = model.start();
        String port = Integer.toString(server.address().getPort());
        assertThat(run("redis-cli", "-h", "127.0.0.1", "-p", port, "PING")).containsExactly("0", "PONG\n");
        assertThat(run("redis-cli", "-h", "127.0.0.1", "-p", port, "ECHO", "hello world")).containsExactly("0", "hello world\n");
        assertThat(run("redis-cli", "-h", "127.0.0.1", "-p", port, "SLEEP", "x").get(1)).contains("ERR SLEEP ms is not an integer");
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void redisBenchmarkRunsCleanly(ModelUnderTest model) throws Exception {
        assumeInstalled("redis-benchmark");
        server = model.start();
        List<String> command = new ArrayList<>(List.of("redis-benchmark", "-h", "127.0.0.1",
                "-p", Integer.toString(server.address().getPort()), "-t", "ping_inline,ping_mbulk", "-n", "20000", "-c", "20", "-q"));
        List<String> result = run(command.toArray(String[]::new));
        assertThat(result.get(0)).as(result.get(1)).isEqualTo("0");
        assertThat(result.get(1)).containsPattern("PING_INLINE: [0-9.]+ requests per second")
                .containsPattern("PING_MBULK: [0-9.]+ requests per second");
        assertThat(server.stats().commandsProcessed()).isGreaterThanOrEqualTo(40_000);
    }
}
