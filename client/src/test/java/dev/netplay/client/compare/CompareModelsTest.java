package dev.netplay.client.compare;

import dev.netplay.client.ClientMain;
import dev.netplay.common.cli.CliErrors;
import dev.netplay.common.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * compare's --models: the models the server jar lists, read from the JVM that runs the servers; an unknown one refused
 * before any server starts.
 */
@Isolated // it reads System.out, which a load run beside it would write to
class CompareModelsTest {
    private static final Path SERVER_JAR = Path.of("../server/target/netplay-server.jar");

    @Test
    void modelsListShowsEveryModelOfTheServerJarAndWhichRunByDefault() {
        assertThat(SERVER_JAR).as("the server module's jar (mvn package builds it before the client's tests)").isRegularFile();
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = CliErrors.commandLine(new ClientMain()).execute("compare", "--models", "list", "--server-jar", SERVER_JAR.toString());
        } finally {
            System.setOut(before);
        }
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsPattern("(?m)^netty +default +the event loop")
                .containsPattern("(?m)^netty-blocking +on request +the classic mistake")
                .containsPattern("(?m)^netty-vthreads +on request")
                .containsPattern("(?m)^threads-cached +on request");
    }

    @Test
    void theHelpSendsToTheListRatherThanNamingModelsByHand() {
        StringWriter out = new StringWriter();
        CommandLine cli = CliErrors.commandLine(new ClientMain());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("compare", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("'--models list' lists them")
                .doesNotContain("threads-platform, threads-virtual");
    }

    @Test
    void anUnknownModelIsRefusedNamingTheKnownOnes() {
        StringWriter err = new StringWriter();
        CommandLine cli = CliErrors.commandLine(new ClientMain());
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("compare", "--models", "netty,threads-magic", "--server-jar", SERVER_JAR.toString(),
                "--out", "target/compare-unknown-model")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("'threads-magic' is not a server model (expected one of: netty,").doesNotContain("\tat ");
    }

    @Test
    void aTargetNamedAsAModelIsRefusedAndACompareThatMeasuresNothingFails() throws Exception {
        assertThat(CliErrors.commandLine(new ClientMain()).execute("compare", "--no-pin", "--models", "none", "--target",
                "netty=sh -c true {port}", "--server-jar", SERVER_JAR.toString(), "--out", "target/compare-clash"))
                .as("a target may not take a model's name").isEqualTo(ExitCodes.USAGE);
        java.nio.file.Path out = java.nio.file.Path.of("target", "compare-nothing");
        assertThat(CliErrors.commandLine(new ClientMain()).execute("compare", "--no-pin", "--models", "none", "--repeat", "1",
                "--levels", "10", "--target", "broken=sh -c 'exit 4' {port}", "--server-jar", SERVER_JAR.toString(),
                "--out", out.toString())).as("nothing could be measured").isEqualTo(ExitCodes.FAILED);
        assertThat(java.nio.file.Files.readString(out.resolve("report.html"))).contains("target broken exited at once with code 4");
    }

    @Test
    void theListIsReadByColumnNameAndAnUnavailableModelSaysWhy() {
        ModelCatalog catalog = ModelCatalog.parse("""
                name\tcompared\tunavailable\tcommand\tsummary\textra
                netty\tyes\t\tnetty\tthe event loop\tx
                threads-virtual\tyes\tvirtual threads need Java 21+\tthreads --threads virtual\ta virtual thread\tx
                nio\tno\t\tnio\ta selector\tx
                """);
        assertThat(catalog.names()).containsExactly("netty", "threads-virtual", "nio");
        assertThat(catalog.defaults()).extracting(ModelCatalog.Model::name).containsExactly("netty", "threads-virtual");
        assertThat(catalog.named("THREADS-VIRTUAL").serverArgs()).containsExactly("threads", "--threads", "virtual");
        assertThat(catalog.named("threads-virtual").unavailable()).isEqualTo("virtual threads need Java 21+");
        assertThat(catalog.named("netty").unavailable()).isNull();
        assertThatThrownBy(() -> ModelCatalog.parse("name\tcompared\n")).hasMessageContaining("no column 'unavailable'");
    }
}
