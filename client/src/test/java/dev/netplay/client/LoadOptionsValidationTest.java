package dev.netplay.client;

import dev.netplay.common.cli.CliErrors;
import dev.netplay.common.cli.ExitCodes;
import dev.netplay.common.metrics.ProcessMetrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bad option ends with one line naming the value and what is allowed, and a non-zero exit, before any load. */
class LoadOptionsValidationTest {
    record Outcome(int exit, String err) {
    }

    static Outcome client(String... args) {
        CommandLine cli = CliErrors.commandLine(new ClientMain());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Outcome(exit, err.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--connections|0|--connections 0 is out of range (expected: >= 1)",
        "--connections|1000,100|--connections levels must increase, since each level adds connections to the last (got 100 after 1000)",
        "--connections|ten|'ten' is not a count (expected e.g. 500, 2k, 1m)",
        "--request|SLEEP 70000|--request 'SLEEP 70000': ERR SLEEP ms is out of range: '70000' (expected: 0..60000)",
        "--request|ECHO|--request 'ECHO': ERR wrong number of arguments for 'echo' command (got 0, expected: 1)",
        "--request|QUIT|--request QUIT closes the connection after one reply: not a load request",
        "--pipeline|0|--pipeline 0 is out of range (expected: 1..1000)",
        "--duration|0s|--duration 0s must be longer than 0",
        "--duration|soon|'soon' is not a duration (expected e.g. 500ms, 10s, 2m, 1h)",
        "--ramp-rate|0|--ramp-rate 0 is out of range (expected: >= 1)",
        "--source-addresses|localhost|--source-addresses 'localhost' is not an IP address",
        "--mix|PING|--mix 'PING' has no weight (expected REQUEST=WEIGHT, e.g. \"PING=90,SLEEP 1000=10\")",
        "--mix|PING=0|--mix weight 0 of 'PING' is out of range (expected: 1..1000000)",
        "--mix|PING=ten|--mix weight 'ten' of 'PING' is not a whole number (expected: 1..1000000)",
        "--mix|PING=1,SLEEP 70000=1|--mix 'SLEEP 70000': ERR SLEEP ms is out of range: '70000' (expected: 0..60000)",
        "--mix|PING=1,QUIT=1|--mix QUIT closes the connection after one reply: not a load request",
        "--mix|PING=1,ping=2|--mix names 'ping' twice",
    })
    void badOptionsFailWithOneLineBeforeAnyLoad(String option, String value, String message) {
        Outcome o = client("sweep", "--target", "a=127.0.0.1:1", option, value);
        assertThat(o.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).contains(message);
        assertThat(o.err()).doesNotContain("\tat ");
    }

    @Test
    void aLevelAboveTheOpenFileLimitIsRefusedWithTheLimit() {
        long over = ProcessMetrics.openFileLimit() + 5000;
        Outcome o = client("run", "--target", "a=127.0.0.1:1", "--connections", Long.toString(over));
        assertThat(o.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).contains("--connections " + over + " exceeds this process's open-file limit ("
                + ProcessMetrics.openFileLimit() + ", ulimit -n)");
    }

    @Test
    void badTargetsAreNamed() {
        assertThat(client("run", "--target", "nohost").err()).contains("--target 'nohost' is not NAME=HOST:PORT");
        assertThat(client("run", "--target", "a=127.0.0.1:70000").err()).contains("port 70000 is out of range (expected: 1..65535)");
        assertThat(client("run", "--target", "a=127.0.0.1:1", "--target", "a=127.0.0.1:2").err()).contains("'a' is used twice");
        assertThat(client("run").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void openModelRefusesPipelining() {
        assertThat(client("run", "--target", "a=127.0.0.1:1", "--rate", "1k", "--pipeline", "2").err())
                .contains("--pipeline must be 1 (got 2)");
    }

    @Test
    void anUnreachableTargetFailsBeforeAnyLoad() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        Outcome o = client("run", "--target", "gone=127.0.0.1:" + freePort, "--connections", "10", "--duration", "1s");
        assertThat(o.exit()).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void compareRefusesBadLevelsCpusAndHeaps() {
        assertThat(client("compare", "--levels", "100,999999").err()).contains("--levels 999999 is above this machine's top level");
        assertThat(client("compare", "--server-cpus", "1-x").err()).contains("CPU list '1-x' has a bad part '1-x'");
        assertThat(client("compare", "--no-pin", "--server-cpus", "1").err()).contains("--no-pin cannot go with --server-cpus");
        Outcome heap = client("compare", "--server-heap", "lots");
        assertThat(heap.err()).contains("--server-heap 'lots' is not a size like 512m or 1g");
        assertThat(heap.exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void compareSweepsToTheMachinesTopLevelByDefault() {
        assertThat(CompareCommand.defaultLevels(19_000)).containsExactly(1_000, 5_000, 10_000, 19_000);
        assertThat(CompareCommand.defaultLevels(3_000)).containsExactly(1_000, 3_000);
        int max = dev.netplay.client.compare.Comparison.maxLevel();
        assertThat(max % dev.netplay.client.compare.Comparison.LEVEL_ROUNDING).isZero();
        assertThat(max).isLessThan((int) ProcessMetrics.openFileLimit());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--pid|999999999|--pid 999999999: no such process on this machine",
        "--pid|0|--pid 0: no such process on this machine",
        "--for|0s|--for 0s must be longer than 0",
        "--for|soon|'soon' is not a duration (expected e.g. 500ms, 10s, 2m, 1h)",
    })
    void profileRefusesABadPidOrDurationWithOneLine(String option, String value, String message) {
        String pid = Long.toString(ProcessHandle.current().pid());
        Outcome o = option.equals("--pid") ? client("profile", option, value) : client("profile", "--pid", pid, option, value);
        assertThat(o.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).contains(message).doesNotContain("\tat ");
    }
}
