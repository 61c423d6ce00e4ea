package dev.netplay.server;

import dev.netplay.server.core.Server;

import dev.netplay.server.testing.ModelUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * redis-cli, redis-benchmark and redis-py, where installed (.ci/run installs redis-tools and redis-py), are real
 * clients of every model; in CI a missing one fails the test rather than skipping it.
 */
class RealClientsTest {
    private static final long TOOL_TIMEOUT_SECONDS = 120;
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    private static final boolean CI = System.getenv("CI") != null;

    static void assumeInstalled(String tool) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            found |= Files.isExecutable(Path.of(dir, tool));
        }
        assertThat(found || !CI).as("CI installs %s (.ci/run)", tool).isTrue();
        Assumptions.assumeTrue(found, tool + " is not installed (apt-get install redis-tools)");
    }

    /** python3 with redis-py 8 or later. */
    static void assumeRedisPy() throws Exception {
        List<String> probe = run("python3", "-c", "import redis, sys; sys.exit(0 if int(redis.__version__.split('.')[0]) >= 8 else 1)");
        boolean found = probe.get(0).equals("0");
        assertThat(found || !CI).as("CI installs redis-py 8 (.ci/run): %s", probe.get(1)).isTrue();
        Assumptions.assumeTrue(found, "redis-py 8 is not installed for python3 (pip install redis)");
    }

    /** Runs a tool; returns its exit code and output. */
    static List<String> run(String... command) throws IOException, InterruptedException {
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
    void redisCliSpeaksResp3AfterHello(ModelUnderTest model) throws Exception {
        assumeInstalled("redis-cli");
        server = model.start();
        String port = Integer.toString(server.address().getPort());
        // --no-raw: the typed output a terminal shows, which tells a map from an array and a null from an empty string.
        assertThat(run("redis-cli", "-3", "--no-raw", "-h", "127.0.0.1", "-p", port, "PING")).containsExactly("0", "PONG\n");
        assertThat(run("redis-cli", "-3", "--no-raw", "-h", "127.0.0.1", "-p", port, "HELLO", "3").get(1))
                .contains("1# \"server\" => \"netplay\"", "3# \"proto\" => (integer) 3");
        assertThat(run("redis-cli", "-3", "--no-raw", "-h", "127.0.0.1", "-p", port, "CONFIG", "GET", "x")).containsExactly("0", "(empty hash)\n");
        assertThat(run("redis-cli", "-3", "--no-raw", "-h", "127.0.0.1", "-p", port, "CLIENT", "GETNAME")).containsExactly("0", "(nil)\n");
    }

    /** redis-py with its defaults (HELLO 3), then RESP2: sync and asyncio, every command; the script says what failed. */
    @Tag("full") // a long test: mvn -B verify -Pfull
    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void redisPyConnectsSyncAndAsyncio(ModelUnderTest model) throws Exception {
        assumeRedisPy();
        server = model.start();
        Path script = Path.of("src", "test", "resources", "clients", "redis_py_check.py");
        String port = Integer.toString(server.address().getPort());
        for (List<String> command : List.of(List.of("python3", script.toString(), port), List.of("python3", script.toString(), port, "2"))) {
            List<String> result = run(command.toArray(String[]::new));
            assertThat(result.get(0)).as(result.get(1)).isEqualTo("0");
            assertThat(result.get(1)).contains("ok sync pipeline", "ok asyncio 50 SLEEPs at once");
        }
    }

    /** The notebook's example (examples/asyncio_sleep.py), briefly: every task's SLEEP answered, all at once. */
    @Tag("full") // a long test: mvn -B verify -Pfull
    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "THREADS_PLATFORM"})
    void theAsyncioExampleRunsItsSleepsAtOnce(ModelUnderTest model) throws Exception {
        assumeRedisPy();
        server = model.start();
        List<String> result = run("python3", Path.of("..", "examples", "asyncio_sleep.py").toString(), "--port",
                Integer.toString(server.address().getPort()), "--tasks", "200", "--ms", "300");
        assertThat(result.get(0)).as(result.get(1)).isEqualTo("0");
        assertThat(result.get(1)).contains("all 200 done in", "failed: 0", "the server had 201 connections");
    }

    @Tag("full") // a long test: mvn -B verify -Pfull
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
