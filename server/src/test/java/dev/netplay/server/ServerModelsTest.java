package dev.netplay.server;

import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;

import dev.netplay.common.cli.ExitCodes;
import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.TestOnlyModels;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry of server models: one line registers a model, and scripts/server and the tests find it. */
class ServerModelsTest {
    @Test
    void theProjectsModelsComeFirstThenTheRegisteredOnes() {
        assertThat(ServerModels.names()).startsWith("netty", "netty-nio", "netty-io_uring", "netty-blocking", "netty-offload", "netty-vthreads",
                "threads-platform", "threads-virtual", "threads-pool", "nio", "threads-cached").contains(TestOnlyModels.NAME);
        assertThat(ServerModels.all().stream().filter(ServerModel::compared).map(ServerModel::name))
                .as("compare's default").containsExactly("netty", "threads-platform", "threads-virtual", "threads-pool", TestOnlyModels.NAME);
    }

    @Test
    void anUnknownNameFailsNamingTheKnownOnes() {
        assertThatThrownBy(() -> ServerModels.named("threads-magic")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'threads-magic' is not a server model (expected one of: netty, netty-nio");
    }

    @Test
    void aModelNameIsOneWordOfLowerCaseLetters() {
        assertThatThrownBy(() -> ServerModel.of("My Model", "", c -> null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'My Model'");
    }

    @Test
    void serverHelpListsEveryModelAndARegisteredModelHasItsOwnSubcommand() {
        StringWriter out = new StringWriter();
        CommandLine cli = ServerMain.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        for (String name : ServerModels.names()) {
            assertThat(out.toString()).contains("  " + name + " ");
        }
        assertThat(cli.getSubcommands()).containsKeys("netty", "threads", "nio", "threads-cached", TestOnlyModels.NAME);
    }

    @Test
    void aRegisteredModelTakesTheCommonOptionsAndValidatesThem() {
        StringWriter err = new StringWriter();
        CommandLine cli = ServerMain.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute(TestOnlyModels.NAME, "--port", "70000")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--port 70000 is out of range (expected: 0..65535)").doesNotContain("\tat ");
    }

    @Test
    void theTestsOfEveryModelRunOnRegisteredModelsToo() {
        assertThat(ModelUnderTest.values()).extracting(ModelUnderTest::name)
                .containsSubsequence(List.of("NETTY_NIO", "NETTY_EPOLL", "THREADS_PLATFORM", "THREADS_POOL", "THREADS_VIRTUAL",
                        "nio", "threads-cached", TestOnlyModels.NAME));
    }

    @Test
    void theGuardsOptionsAreValidatedNamingTheBadValueAndWhatIsAllowed() {
        StringWriter err = new StringWriter();
        CommandLine cli = ServerMain.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("nio", "--enable-debug-command", "maybe")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--enable-debug-command 'maybe' is not one of: no, local, yes").doesNotContain("\tat ");
        assertThat(cli.execute("netty", "--offload", "2", "--offload-queue", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--offload-queue 0 is out of range (expected: 1..1000000)").doesNotContain("\tat ");
        assertThat(cli.execute("threads", "--request-timeout", "-1s")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).doesNotContain("\tat ");
    }

    @Test
    void serverModelsListsEveryModelTabSeparatedWithWhetherThisJvmCanRunIt() {
        StringWriter out = new StringWriter();
        CommandLine cli = ServerMain.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("models")).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).isEqualTo(ModelsCommand.HEADER);
        assertThat(lines.subList(1, lines.size())).extracting(l -> l.split("\t", -1)[0]).containsExactlyElementsOf(ServerModels.names());
        for (ServerModel model : ServerModels.all()) {
            String[] f = lines.get(1 + ServerModels.names().indexOf(model.name())).split("\t", -1);
            assertThat(f).hasSize(5);
            assertThat(f[1]).isEqualTo(model.compared() ? "yes" : "no");
            assertThat(f[2]).isEqualTo(model.unavailableReason() == null ? "" : model.unavailableReason());
            assertThat(f[3]).isEqualTo(String.join(" ", model.serverArgs()));
        }
    }

    /** The factory the tests use and the command line compare starts are one: the factory parses the command line. */
    @Test
    void aModelsFactoryBuildsWhatItsCommandLineStarts() throws Exception {
        ServerConfig config = ServerConfig.of(new java.net.InetSocketAddress("127.0.0.1", 0), 10);
        Server nettyNio = ServerModels.named("netty-nio").factory().create(config);
        assertThat(nettyNio.settings().transport()).isEqualTo("nio");
        assertThat(nettyNio.settings().ioThreads()).isEqualTo(dev.netplay.common.metrics.ProcessMetrics.availableProcessors());
        assertThat(nettyNio.settings().maxConnections()).as("the common options come from the config").isEqualTo(10);
        Server pool = ServerModels.named("threads-pool").factory().create(config);
        assertThat(pool.settings().poolSize()).isEqualTo(dev.netplay.server.threads.BlockingServer.DEFAULT_POOL_SIZE);
        assertThat(ServerMain.create(List.of("threads", "--threads", "pool", "--pool-size", "7"), config).settings().poolSize())
                .isEqualTo(7);
    }

    @Test
    void aCommandLineThatNamesNoModelOrABadOptionIsRefused() {
        ServerConfig config = ServerConfig.of(new java.net.InetSocketAddress("127.0.0.1", 0), 10);
        assertThatThrownBy(() -> ServerMain.create(List.of("models"), config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not name a server model's command");
        assertThatThrownBy(() -> ServerMain.create(List.of("netty", "--io-threads", "0"), config))
                .hasMessageContaining("--io-threads 0 is out of range");
        assertThatThrownBy(() -> ServerMain.create(List.of("threads", "--bogus"), config)).isInstanceOf(CommandLine.ParameterException.class);
    }

    /** Every registered model's command line parses: a typo in one fails here, not in compare. */
    @Test
    void everyRegisteredModelsCommandLineParses() {
        for (ServerModel model : ServerModels.all()) {
            CommandLine.ParseResult parsed = ServerMain.commandLine().parseArgs(model.serverArgs().toArray(new String[0]));
            assertThat(parsed.subcommand()).as(model.name()).isNotNull();
        }
    }
}
