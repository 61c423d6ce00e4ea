package dev.netplay.server.core;

import dev.netplay.common.protocol.InfoText;

import dev.netplay.common.limits.Limits;
import dev.netplay.common.protocol.Action;
import dev.netplay.common.protocol.InfoField;
import dev.netplay.common.protocol.Work;

import dev.netplay.common.resp.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CommandDispatcherTest {
    private final ServerSettings settings = new ServerSettings("netty", "nio", 2, 0, ServerSettings.SLEEP_TIMER, 100);
    private final ServerStats stats = new ServerStats();
    private final CommandDispatcher dispatcher = new CommandDispatcher(settings, stats);

    private Action dispatch(String... words) {
        List<byte[]> args = new ArrayList<>();
        for (String w : words) {
            args.add(w.getBytes(StandardCharsets.ISO_8859_1));
        }
        return dispatcher.dispatch(new Session(0), args);
    }

    /** WORK is an action of its own (a server may run it off its event loop); its reply, computed here. */
    private String work(String... words) {
        Action action = dispatch(words);
        assertThat(action).isInstanceOf(Action.Work.class);
        return new String(((Action.Work) action).reply(), StandardCharsets.ISO_8859_1);
    }

    private String reply(String... words) {
        Action action = dispatch(words);
        assertThat(action).isInstanceOf(Action.Reply.class);
        return new String(((Action.Reply) action).bytes(), StandardCharsets.ISO_8859_1);
    }

    private String reply(Session session, String... words) {
        List<byte[]> args = new ArrayList<>();
        for (String w : words) {
            args.add(w.getBytes(StandardCharsets.ISO_8859_1));
        }
        Action action = dispatcher.dispatch(session, args);
        assertThat(action).isInstanceOf(Action.Reply.class);
        return new String(((Action.Reply) action).bytes(), StandardCharsets.ISO_8859_1);
    }

    private static String hello(String map, int proto, long id) {
        return map + "$6\r\nserver\r\n$7\r\nnetplay\r\n$7\r\nversion\r\n$5\r\n0.1.0\r\n$5\r\nproto\r\n:" + proto
                + "\r\n$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                + "$7\r\nmodules\r\n*0\r\n";
    }

    @Test
    void helloSwitchesTheConnectionsProtocolAndDescribesTheServerAsRedisDoes() {
        Session session = new Session(7);
        assertThat(reply(session, "HELLO")).as("no version: the current one, a flat array in RESP2").isEqualTo(hello("*14\r\n", 2, 7));
        assertThat(reply(session, "CONFIG", "GET", "x")).isEqualTo("*0\r\n");
        assertThat(reply(session, "HELLO", "3")).isEqualTo(hello("%7\r\n", 3, 7));
        assertThat(session.protocol()).isEqualTo(3);
        assertThat(reply(session, "CONFIG", "GET", "x")).as("RESP3: an empty map").isEqualTo("%0\r\n");
        assertThat(reply(session, "COMMAND", "DOCS")).isEqualTo("%0\r\n");
        assertThat(reply(session, "COMMAND")).isEqualTo("*0\r\n");
        assertThat(reply(session, "CLIENT", "GETNAME")).isEqualTo("_\r\n");
        assertThat(reply(session, "INFO", "nosuch")).as("RESP3: a verbatim string").isEqualTo("=4\r\ntxt:\r\n");
        assertThat(reply(session, "PING")).isEqualTo("+PONG\r\n");
        assertThat(reply(session, "ECHO", "a")).isEqualTo("$1\r\na\r\n");
        assertThat(reply(session, "HELLO", "2", "AUTH", "default", "any", "SETNAME", "me")).isEqualTo(hello("*14\r\n", 2, 7));
        assertThat(reply(session, "CLIENT", "GETNAME")).isEqualTo("$2\r\nme\r\n");
        assertThat(reply(session, "INFO", "nosuch")).isEqualTo("$0\r\n\r\n");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
        "HELLO 4 => -NOPROTO unsupported protocol version",
        "HELLO 1 => -NOPROTO unsupported protocol version",
        "HELLO -3 => -NOPROTO unsupported protocol version",
        "HELLO three => -ERR Protocol version is not an integer or out of range",
        "HELLO 99999999999999999999 => -ERR Protocol version is not an integer or out of range",
        "HELLO 3 AUTH => -ERR Syntax error in HELLO option 'AUTH'",
        "HELLO 3 AUTH default => -ERR Syntax error in HELLO option 'AUTH'",
        "HELLO 3 AUTH bob secret => -WRONGPASS invalid username-password pair or user is disabled.",
        "HELLO 3 SETNAME => -ERR Syntax error in HELLO option 'SETNAME'",
        "HELLO 3 SETNAME a\u0001b => -ERR Client names cannot contain spaces, newlines or special characters.",
        "HELLO 3 FOO => -ERR Syntax error in HELLO option 'FOO'",
        "CLIENT => -ERR wrong number of arguments for 'client' command (got 0, expected: >= 1)",
        "CLIENT FOO => -ERR unknown subcommand 'FOO'. Try CLIENT HELP.",
        "CLIENT ID x => -ERR wrong number of arguments for 'client|id' command (got 1, expected: 0)",
        "CLIENT GETNAME x => -ERR wrong number of arguments for 'client|getname' command (got 1, expected: 0)",
        "CLIENT SETNAME => -ERR wrong number of arguments for 'client|setname' command (got 0, expected: 1)",
        "CLIENT SETINFO lib-name => -ERR wrong number of arguments for 'client|setinfo' command (got 1, expected: 2)",
        "CLIENT SETINFO color red => -ERR Unrecognized option 'color'",
    })
    void badHandshakesGetRedissErrorsAndChangeNothing(String request, String error) {
        Session session = new Session(1);
        assertThat(reply(session, request.replace("\\u0001", "\u0001").split(" "))).isEqualTo(error + "\r\n");
        assertThat(session.protocol()).as("still RESP2").isEqualTo(2);
        assertThat(session.name()).isNull();
    }

    @Test
    void clientNamesAndLibraryAreKeptPerConnectionAndBounded() {
        Session session = new Session(42);
        assertThat(reply(session, "CLIENT", "ID")).isEqualTo(":42\r\n");
        assertThat(reply(session, "CLIENT", "GETNAME")).isEqualTo("$-1\r\n");
        assertThat(reply(session, "CLIENT", "SETNAME", "worker-1")).isEqualTo("+OK\r\n");
        assertThat(reply(session, "client", "getname")).isEqualTo("$8\r\nworker-1\r\n");
        assertThat(reply(session, "CLIENT", "SETNAME", "a b")).isEqualTo("-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
        assertThat(reply(session, "CLIENT", "SETNAME", "x".repeat(Limits.MAX_CLIENT_NAME_BYTES + 1)))
                .isEqualTo("-ERR Client names must be at most 1024 bytes (got 1025)\r\n");
        assertThat(reply(session, "CLIENT", "GETNAME")).as("unchanged by the refusals").isEqualTo("$8\r\nworker-1\r\n");
        assertThat(reply(session, "CLIENT", "SETNAME", "")).as("an empty name clears it").isEqualTo("+OK\r\n");
        assertThat(reply(session, "CLIENT", "GETNAME")).isEqualTo("$-1\r\n");
        assertThat(reply(session, "CLIENT", "SETINFO", "LIB-NAME", "redis-py")).isEqualTo("+OK\r\n");
        assertThat(reply(session, "CLIENT", "SETINFO", "lib-ver", "8.1.0")).isEqualTo("+OK\r\n");
        assertThat(reply(session, "CLIENT", "SETINFO", "lib-ver", "8 1")).isEqualTo("-ERR lib-ver cannot contain spaces, newlines or special characters.\r\n");
        assertThat(session.libraryName()).isEqualTo("redis-py");
        assertThat(session.libraryVersion()).isEqualTo("8.1.0");
    }

    @Test
    void selectAcceptsTheOnlyDatabaseAndAnswersOthersAsRedis() {
        assertThat(reply("SELECT", "0")).isEqualTo("+OK\r\n");
        assertThat(reply("select", "-0")).isEqualTo("+OK\r\n");
        assertThat(reply("SELECT", "1")).isEqualTo("-ERR DB index is out of range\r\n");
        assertThat(reply("SELECT", "-1")).isEqualTo("-ERR DB index is out of range\r\n");
        assertThat(reply("SELECT", "zero")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        assertThat(reply("SELECT", "99999999999999999999")).isEqualTo("-ERR value is not an integer or out of range\r\n");
        assertThat(reply("SELECT")).isEqualTo("-ERR wrong number of arguments for 'select' command (got 0, expected: 1)\r\n");
    }

    @Test
    void pingRepliesPongOrItsArgument() {
        assertThat(reply("PING")).isEqualTo("+PONG\r\n");
        assertThat(reply("ping", "hi")).isEqualTo("$2\r\nhi\r\n");
        assertThat(reply("PING", "a", "b")).isEqualTo("-ERR wrong number of arguments for 'ping' command (got 2, expected: 0..1)\r\n");
    }

    @Test
    void echoIsBinarySafe() {
        assertThat(reply("EcHo", "a\r\n\0")).isEqualTo("$4\r\na\r\n\0\r\n");
        assertThat(reply("ECHO")).isEqualTo("-ERR wrong number of arguments for 'echo' command (got 0, expected: 1)\r\n");
    }

    @Test
    void sleepAsksTheServerToWait() {
        assertThat(dispatch("SLEEP", "0")).isEqualTo(new Action.Sleep(0));
        assertThat(dispatch("sleep", "60000")).isEqualTo(new Action.Sleep(60_000));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SLEEP|60001|-ERR SLEEP ms is out of range: '60001' (expected: 0..60000)",
        "SLEEP|-1|-ERR SLEEP ms is out of range: '-1' (expected: 0..60000)",
        "SLEEP|1.5|-ERR SLEEP ms is not an integer: '1.5' (expected: 0..60000)",
        "SLEEP|99999999999999999999|-ERR SLEEP ms is out of range: '99999999999999999999' (expected: 0..60000)",
        "DATA|67108865|-ERR DATA n is out of range: '67108865' (expected: 0..67108864)",
        "DATA|x|-ERR DATA n is not an integer: 'x' (expected: 0..67108864)",
        "WORK|10000001|-ERR WORK n is out of range: '10000001' (expected: 0..10000000)",
        "WORK|+1|-ERR WORK n is not an integer: '+1' (expected: 0..10000000)",
    })
    void badNumbersNameTheCommandTheValueAndTheRange(String command, String value, String error) {
        assertThat(reply(command, value)).isEqualTo(error + "\r\n");
    }

    @Test
    void dataAtItsLimitIsAccepted() {
        assertThat(dispatch("DATA", "67108864")).isEqualTo(new Action.Data(Limits.MAX_DATA_BYTES));
        assertThat(dispatch("DATA", "0")).isEqualTo(new Action.Data(0));
    }

    @Test
    void workHashesFromThirtyTwoZeroBytes() {
        assertThat(work("WORK", "0")).isEqualTo("$64\r\n" + "0".repeat(64) + "\r\n");
        // sha256 of 32 zero bytes, as `head -c32 /dev/zero | sha256sum` prints it
        assertThat(work("WORK", "1")).isEqualTo("$64\r\n66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925\r\n");
    }

    @Test
    void infoHasEveryFieldInRedisFormat() {
        String info = reply("INFO");
        String body = info.substring(info.indexOf("\r\n") + 2, info.length() - 2);
        assertThat(body).startsWith("# Server\r\n").contains("\r\n\r\n# Clients\r\n");
        Map<String, String> fields = InfoText.parse(body);
        assertThat(fields).containsKeys("server_model", "transport", "io_threads", "pool_size", "sleep_mode",
                "java_version", "pid", "uptime_ms", "connected_clients", "total_connections_received",
                "rejected_connections", "total_commands_processed", "threads_live", "threads_peak", "rss_bytes",
                "heap_used_bytes", "process_cpu_ns", "max_connections");
        assertThat(fields).containsEntry("server_model", "netty").containsEntry("max_connections", "100");
        assertThat(Long.parseLong(fields.get("rss_bytes"))).isPositive();
    }

    @Test
    void infoExplainsCostsAndReadsThreadsOnlyWhenAsked() {
        assertThat(reply("MEMORY", "PURGE")).isEqualTo("+OK\r\n");
        Map<String, String> fields = InfoText.parse(reply("INFO"));
        assertThat(fields).containsKeys("requests_in_flight", "heap_max_bytes",
                "heap_live_bytes", "gc_pauses", "gc_pause_total_ms", "gc_pause_max_ms", "gc_pause_hist", "sleeps",
                "sleep_overshoot_p50_us", "sleep_overshoot_p99_us", "sleep_overshoot_hist");
        assertThat(Long.parseLong(fields.get("heap_live_bytes"))).as("known right after MEMORY PURGE").isPositive();
        assertThat(fields).doesNotContainKey("sched_threads");
        Map<String, String> everything = InfoText.parse(reply("INFO", "everything"));
        assertThat(everything).containsKeys("process_cpu_user_ns", "process_cpu_sys_ns", "sched_threads", "ctx_switches_voluntary", "ctx_switches_involuntary",
                "runqueue_wait_ns", "sched_read_ns", "sched_read_cpu_ns", "server_model");
        Map<String, String> scheduler = InfoText.parse(reply("INFO", "scheduler"));
        assertThat(scheduler).containsKey("sched_threads").doesNotContainKey("server_model");
        assertThat(Long.parseLong(scheduler.get("sched_threads"))).isPositive();
    }

    @Test
    void memoryHasOnlyPurge() {
        assertThat(reply("MEMORY", "DOCTOR")).isEqualTo("-ERR MEMORY subcommand 'DOCTOR' is not supported (expected: PURGE)\r\n");
        assertThat(reply("MEMORY")).startsWith("-ERR wrong number of arguments for 'memory'");
        assertThat(reply("MEMORY", "PURGE", "x")).startsWith("-ERR wrong number of arguments for 'memory|purge'");
    }

    @Test
    void infoSectionSelectsOneSectionCaseInsensitively() {
        String clients = reply("INFO", "CLIENTS");
        assertThat(clients).contains("# Clients").doesNotContain("# Server");
        assertThat(reply("INFO", "nosuch")).isEqualTo("$0\r\n\r\n");
        assertThat(reply("INFO", "a", "b")).startsWith("-ERR wrong number of arguments for 'info'");
    }

    @Test
    void quitConfigGetAndCommandAnswerWhatRedisToolsExpect() {
        assertThat(dispatch("QUIT")).isEqualTo(new Action.Quit());
        assertThat(reply("QUIT", "now")).startsWith("-ERR wrong number of arguments for 'quit'");
        assertThat(reply("CONFIG", "GET", "save")).isEqualTo("*0\r\n");
        assertThat(reply("CONFIG", "SET", "x", "y")).isEqualTo("-ERR CONFIG subcommand 'SET' is not supported (expected: GET)\r\n");
        assertThat(reply("CONFIG", "GET")).isEqualTo("-ERR wrong number of arguments for 'config' command (got 1, expected: >= 2)\r\n");
        assertThat(reply("COMMAND", "DOCS")).isEqualTo("*0\r\n");
        assertThat(reply("COMMAND")).isEqualTo("*0\r\n");
    }

    @Test
    void unknownCommandsAreQuotedSafely() {
        assertThat(reply("FOO", "x")).isEqualTo("-ERR unknown command 'FOO'\r\n");
        assertThat(reply("a'b\r\nc")).isEqualTo("-ERR unknown command 'a\\x27b\\x0d\\x0ac'\r\n");
        String longName = "z".repeat(500);
        assertThat(reply(longName)).hasSizeLessThan(100).contains("...");
    }

    @Test
    void everyRequestIsCounted() {
        reply("PING");
        reply("NOPE");
        assertThat(stats.commandsProcessed()).isEqualTo(2);
    }

    @Test
    void errorRepliesAreOneLine() {
        assertThat(Resp.error("x")).isEqualTo("-ERR x\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @org.junit.jupiter.api.Test
    void memoryPurgeRunsAtMostOneCollectionASecondServerWideAndCallersBetweenShareIt() {
        for (int i = 0; i < 50; i++) {
            assertThat(reply("MEMORY", "PURGE")).isEqualTo("+OK\r\n");
        }
        assertThat(stats.purges().sharedCount()).as("49 calls within the second shared the first one's collection")
                .isGreaterThanOrEqualTo(45);
    }

    @org.junit.jupiter.api.Test
    void memoryPurgeIsRefusedToAClientFromElsewhereUnlessEveryoneIsAllowedAndToEveryoneWhenNoOneIs() {
        Session remote = new Session(7, false);
        assertThat(reply(remote, "MEMORY", "PURGE")).startsWith("-ERR MEMORY PURGE is not allowed from this connection")
                .contains("--enable-debug-command");
        CommandDispatcher open = new CommandDispatcher(settings.withGuards(ServerGuards.DEFAULTS.withDebugCommands(
                ServerGuards.DebugCommands.YES)), stats);
        assertThat(text(open.dispatch(remote, java.util.List.of("MEMORY".getBytes(), "PURGE".getBytes())))).isEqualTo("+OK\r\n");
        CommandDispatcher closed = new CommandDispatcher(settings.withGuards(ServerGuards.DEFAULTS.withDebugCommands(
                ServerGuards.DebugCommands.NO)), stats);
        assertThat(text(closed.dispatch(new Session(8), java.util.List.of("MEMORY".getBytes(), "PURGE".getBytes()))))
                .startsWith("-ERR MEMORY PURGE is not allowed");
    }

    @org.junit.jupiter.api.Test
    void infoSchedulerIsReadAtMostOnceASecondAndASharedReadingCostsItsCallerNothing() {
        java.util.Map<String, String> first = InfoText.parse(InfoReport.render(settings, stats, "everything"));
        java.util.Map<String, String> second = InfoText.parse(InfoReport.render(settings, stats, "everything"));
        assertThat(second.get("ctx_switches_voluntary")).isEqualTo(first.get("ctx_switches_voluntary"));
        assertThat(second.get("sched_read_ns")).isEqualTo("0");
        assertThat(first).containsEntry(InfoField.SCHED_SHARED.key(), "0");
        assertThat(second).containsEntry(InfoField.SCHED_SHARED.key(), "1");
        assertThat(InfoReport.sections(settings, stats, true).get(InfoField.Section.SCHEDULER.title()).keySet())
                .as("the catalogue of Scheduler fields the client drops from a shared reading")
                .containsExactlyElementsOf(InfoField.Section.SCHEDULER.fields().stream().map(InfoField::key).toList());
        assertThat(stats.schedulerReadings().sharedCount()).as("the second INFO and the sections read just above").isEqualTo(2);
    }

    @org.junit.jupiter.api.Test
    void workDoneInSlicesGivesWhatWorkDoneWholeGives() {
        Work.Progress progress = new Action.Work(50_000).start();
        int slices = 1;
        while (!progress.step(Work.SLICE_ROUNDS)) {
            slices++;
        }
        assertThat(slices).isEqualTo(4);
        assertThat(progress.result()).isEqualTo(Work.sha256Rounds(50_000));
    }

    private static String text(Action action) {
        return new String(((Action.Reply) action).bytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
