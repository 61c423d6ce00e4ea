package dev.netplay.client.compare;

import dev.netplay.client.ClientMain;
import dev.netplay.common.cli.CliErrors;
import dev.netplay.common.cli.ExitCodes;
import dev.netplay.server.testing.TestOnlyModels;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** compare's --models: every registered model, a model of your own included; an unknown one refused before anything starts. */
class CompareModelsTest {
    @Test
    void modelsListShowsEveryRegisteredModelAndWhichRunByDefault() {
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = CliErrors.commandLine(new ClientMain()).execute("compare", "--models", "list");
        } finally {
            System.setOut(before);
        }
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsPattern("(?m)^netty +default +the event loop")
                .containsPattern("(?m)^netty-blocking +on request +the classic mistake")
                .containsPattern("(?m)^threads-cached +on request")
                .containsPattern("(?m)^" + TestOnlyModels.NAME + " +default +threads from a cached pool, registered by the tests");
    }

    @Test
    void helpNamesEveryRegisteredModel() {
        StringWriter out = new StringWriter();
        CommandLine cli = CliErrors.commandLine(new ClientMain());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("compare", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("netty, netty-nio, netty-io_uring, netty-blocking, netty-offload, netty-vthreads,"
                + " threads-platform, threads-virtual, threads-pool, nio, threads-cached, " + TestOnlyModels.NAME);
    }

    @Test
    void anUnknownModelIsRefusedNamingTheKnownOnes() {
        StringWriter err = new StringWriter();
        CommandLine cli = CliErrors.commandLine(new ClientMain());
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("compare", "--models", "netty,threads-magic")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("'threads-magic' is not a server model (expected one of: netty,").doesNotContain("\tat ");
    }
}
