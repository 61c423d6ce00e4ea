package dev.netplay.client.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --target as a user types it: presets, commands, running servers, and every mistake named. */
class TargetSpecTest {
    @Test
    void aPresetIsANameWithItsCommandAndForRedisItsOwnSlowRequest() {
        TargetSpec redis = TargetSpec.parse("redis", List.of());
        assertThat(redis.name()).isEqualTo("redis");
        assertThat(redis.started()).isTrue();
        assertThat(redis.commandFor(6400)).startsWith("redis-server", "--port", "6400").contains("--save", "");
        assertThat(redis.slow().forWait(1000)).isEqualTo("BLPOP netplay:nothing 1");
        assertThat(redis.slow().forWait(500)).isEqualTo("BLPOP netplay:nothing 0.5");
        assertThat(redis.slow().reply()).isEqualTo("*-1");
        TargetSpec threads = TargetSpec.parse("py-threads", List.of());
        assertThat(threads.commandFor(7000)).containsExactly("python3", "-m", "netplay_py.threads_server", "--port", "7000");
        assertThat(threads.slow()).as("it speaks SLEEP").isNull();
        assertThat(TargetSpec.parse("py-uvloop", List.of()).command()).endsWith("--loop", "uvloop");
    }

    @Test
    void aCommandIsSplitIntoWordsAndItsPortPlaceFilled() {
        TargetSpec mine = TargetSpec.parse("mine=./srv --listen 127.0.0.1:{port} --name \"a b\" ''", List.of());
        assertThat(mine.commandFor(9000)).containsExactly("./srv", "--listen", "127.0.0.1:9000", "--name", "a b", "");
        assertThat(mine.address()).isNull();
    }

    @Test
    void aHostAndPortIsARunningServer() {
        TargetSpec running = TargetSpec.parse("far=127.0.0.1:6379", List.of());
        assertThat(running.started()).isFalse();
        assertThat(running.address().getPort()).isEqualTo(6379);
        assertThat(TargetSpec.parse("v6=[::1]:7000", List.of()).address().getPort()).isEqualTo(7000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "nosuch|neither a preset (redis, py-asyncio, py-uvloop, py-threads) nor NAME=COMMAND or NAME=HOST:PORT",
            "mine=./srv --port 7000|the command has no {port}",
            "Big=./srv {port}|--target name 'Big' must be 1 to 32 of a-z 0-9 . _ -",
            "mine=|has nothing after '='",
            "far=127.0.0.1:70000|port is out of range (expected: 1..65535)",
            "mine=./srv \"{port}|has an unclosed \"",
    })
    void aBadTargetIsNamedWithWhatIsAllowed(String text, String message) {
        assertThatThrownBy(() -> TargetSpec.parse(text, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aNameAlreadyTakenIsRefused() {
        assertThatThrownBy(() -> TargetSpec.parse("redis", List.of("redis")))
                .hasMessageContaining("--target name 'redis' is already taken");
        assertThatThrownBy(() -> TargetSpec.parse("netty=./srv {port}", List.of("netty", "nio")))
                .hasMessageContaining("taken: netty, nio");
    }

    @Test
    void thePythonServersAreFoundBesideTheServerJarsModuleWhereverCompareRuns() {
        assertThat(Preset.pythonDir(java.nio.file.Path.of("/x/netplay/server/target/netplay-server.jar")))
                .isEqualTo(java.nio.file.Path.of("/x/netplay/python"));
        assertThat(Preset.pythonDir(java.nio.file.Path.of("..", "server", "target", "netplay-server.jar")).resolve("netplay_py"))
                .isDirectory();
        assertThat(Preset.PY_THREADS.missing(java.nio.file.Path.of("/nonexistent"))).contains("the Python servers are not in /nonexistent");
    }

    @Test
    void everyPresetSaysWhatItIsAndWhatItNeeds() {
        for (Preset p : Preset.values()) {
            assertThat(p.summary()).as(p.label()).isNotBlank();
            String missing = p.missing(Preset.pythonDir(java.nio.file.Path.of("..", "server", "target", "netplay-server.jar")));
            assertThat(missing == null || missing.contains("install")).as(p.label() + ": " + missing).isTrue();
        }
    }
}
