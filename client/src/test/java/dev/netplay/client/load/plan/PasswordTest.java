package dev.netplay.client.load.plan;

import dev.netplay.client.load.LoadOptions;
import dev.netplay.client.load.LoadRunner;
import dev.netplay.client.load.Progress;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netplay.server.core.ServerGuards;
import dev.netplay.server.core.Server;
import dev.netplay.server.testing.ModelUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --password env:NAME|file:PATH}: every connection of the load logs in, and the password is never written. */
class PasswordTest {
    private static final String SECRET = "pa55 word";
    @TempDir
    Path dir;
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    private Path passwordFile(String content) throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void aPasswordIsReadFromAnEnvironmentVariableOrAFilesFirstLineAndNeverShown() throws Exception {
        Password fromEnv = Password.parse("env:PW", Map.of("PW", SECRET)::get);
        assertThat(fromEnv.reveal()).isEqualTo(SECRET);
        assertThat(fromEnv.source()).isEqualTo("env:PW");
        assertThat(fromEnv.toString()).doesNotContain(SECRET);
        Password fromFile = Password.parse("file:" + passwordFile(SECRET + "\nsecond line\n"), name -> null);
        assertThat(fromFile.reveal()).isEqualTo(SECRET);
        assertThat(fromFile.toString()).doesNotContain(SECRET);
    }

    @Test
    void aPasswordThatCannotBeReadIsAClearError() throws Exception {
        assertThatThrownBy(() -> Password.parse(SECRET, name -> null)).hasMessage("--password '" + SECRET
                + "' is neither env:NAME nor file:PATH (a password itself is never taken on the command line: ps and "
                + "results.json would show it)");
        assertThatThrownBy(() -> Password.parse("env:NOPE", name -> null))
                .hasMessage("--password 'env:NOPE': the environment variable NOPE is not set or empty");
        assertThatThrownBy(() -> Password.parse("env:", name -> "x"))
                .hasMessage("--password 'env:': the environment variable (no name) is not set or empty");
        Path empty = passwordFile("\n");
        assertThatThrownBy(() -> Password.parse("file:" + empty, name -> null))
                .hasMessage("--password 'file:" + empty + "': the first line of " + empty + " is empty");
        assertThatThrownBy(() -> Password.parse("file:" + dir.resolve("absent"), name -> null))
                .hasMessageStartingWith("--password 'file:" + dir.resolve("absent") + "': cannot read ");
    }

    private LoadPlan plan(String password, int connections) throws Exception {
        LoadOptions options = new LoadOptions();
        options.targets = List.of("netty=127.0.0.1:" + server.address().getPort());
        options.request = "SLEEP 100";
        options.warmup = Duration.ofMillis(500);
        options.duration = Duration.ofSeconds(2);
        options.password = password;
        options.out = dir.resolve("out");
        return options.toPlan(List.of(connections), "client run --password " + password);
    }

    @Test
    void everyLoadConnectionTheProbeAndTheSamplerLogInAndTheResultsNameOnlyWhereThePasswordCameFrom() throws Exception {
        server = ModelUnderTest.NETTY_NIO.start(ServerGuards.DEFAULTS.withRequirePass(SECRET));
        LoadPlan plan = plan("file:" + passwordFile(SECRET), 50);
        LoadRunner runner = new LoadRunner(plan, System.out, new Progress(System.out, false));
        runner.checkReachable();
        runner.run();
        JsonNode level = new ObjectMapper().readTree(plan.out().resolve("results.json").toFile()).at("/targets/0/levels/0");
        assertThat(level.get("errors").asLong()).as(level.toString()).isZero();
        assertThat(level.get("connectionsEstablished").asInt()).isEqualTo(50);
        assertThat(level.get("throughputRps").asDouble()).isPositive();
        assertThat(level.at("/probe/sent").asLong()).as("the probe got PONGs, not NOAUTH").isPositive();
        assertThat(level.at("/probe/failures").asLong()).isZero();
        try (var files = Files.walk(plan.out())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(SECRET);
            }
        }
        assertThat(Files.readString(plan.out().resolve("results.json"))).contains("\"password\" : \"file:");
    }

    @Test
    void aWrongPasswordOrNoneFailsBeforeAnyLoadNamingTheServersReply() throws Exception {
        server = ModelUnderTest.NETTY_NIO.start(ServerGuards.DEFAULTS.withRequirePass(SECRET));
        LoadRunner wrong = new LoadRunner(plan("file:" + passwordFile("guess"), 1), System.out, new Progress(System.out, false));
        assertThatThrownBy(wrong::checkReachable).hasMessageContaining("-WRONGPASS invalid username-password pair")
                .hasMessageNotContaining("guess");
        LoadOptions options = new LoadOptions();
        options.targets = List.of("netty=127.0.0.1:" + server.address().getPort());
        LoadRunner none = new LoadRunner(options.toPlan(List.of(1), "client run"), System.out, new Progress(System.out, false));
        assertThatThrownBy(none::checkReachable).hasMessageEndingWith("does not serve this client: it asks for a password "
                + "(-NOAUTH Authentication required.); give --password env:NAME or file:PATH");
    }
}
