package dev.netplay.server.core;

import dev.netplay.common.protocol.Requests;


import dev.netplay.common.protocol.Action;
import dev.netplay.common.protocol.Command;
import dev.netplay.server.backend.BackendSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command catalogue: what the dispatcher answers, what the load client may check, what PROTOCOL.md lists. */
class CommandTest {
    private final CommandDispatcher server = new CommandDispatcher(
            new ServerSettings("netty", "nio", 1, 0, ServerSettings.SLEEP_TIMER, 10)
                    .withBackend(BackendSettings.NONE.withAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1))),
            new ServerStats());

    private static List<byte[]> words(String request) {
        List<byte[]> args = new ArrayList<>();
        for (String w : request.split(" ")) {
            args.add(w.getBytes(StandardCharsets.ISO_8859_1));
        }
        return args;
    }

    /** Requests of every command whose reply follows from the request, good and bad, each arity error included. */
    @ParameterizedTest
    @ValueSource(strings = {"PING", "ping hello", "PING a b", "ECHO x", "ECHO", "SLEEP 10", "SLEEP -1", "sleep x",
            "FETCH 5", "FETCH 99999999", "GATHER 3 10", "GATHER 0 10", "GATHER 65 1", "GATHER 2", "DATA 7", "DATA 1 2",
            "WORK 3", "WORK y", "CONFIG GET save", "CONFIG SET a", "CONFIG", "COMMAND", "COMMAND DOCS", "SELECT 0",
            "SELECT 3", "SELECT no"})
    void answerFromRequestIsWhatAServerAnswersAFreshConnection(String request) {
        Action offline = Requests.answerFromRequest(words(request));
        Action live = server.dispatch(new Session(1), words(request));
        assertThat(offline).usingRecursiveComparison().isEqualTo(live);
    }

    @ParameterizedTest
    @EnumSource(value = Command.class, names = {"INFO", "QUIT", "HELLO", "CLIENT", "MEMORY"})
    void aReplyThatDependsOnTheServerIsNotAnsweredOffline(Command command) {
        assertThat(command.replyFollowsFromRequest()).isFalse();
        assertThatThrownBy(() -> Requests.answerFromRequest(words(command.name())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not follow from the request");
    }

    @Test
    void anUnknownCommandIsNotAnsweredOffline() {
        assertThatThrownBy(() -> Requests.answerFromRequest(words("FLUSHALL")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyCommandIsNamedInEitherCaseAndRecognisedByTheParsersVocabulary() {
        for (Command c : Command.values()) {
            assertThat(Command.named(c.name())).contains(c);
            assertThat(Command.named(c.label())).contains(c);
            assertThat(Command.of(c.label().getBytes(StandardCharsets.US_ASCII))).isSameAs(c);
        }
        assertThat(Command.named("PIN")).isEmpty();
    }

    @Test
    void arityIsWrittenAsRedisWritesItsErrors() {
        assertThat(Command.SLEEP.arity()).isEqualTo("1");
        assertThat(Command.PING.arity()).isEqualTo("0..1");
        assertThat(Command.CONFIG.arity()).isEqualTo(">= 2");
        assertThat(Command.HELLO.accepts(9)).isTrue();
        assertThat(Command.QUIT.accepts(1)).isFalse();
    }

    /** docs/PROTOCOL.md's commands table has a row for each command: a new one cannot go undocumented. */
    @Test
    void everyCommandHasARowInTheProtocolDocument() throws IOException {
        Path doc = Path.of("..", "docs", "PROTOCOL.md");
        List<String> rows = Files.readAllLines(doc).stream().filter(l -> l.startsWith("| `")).toList();
        assertThat(Arrays.stream(Command.values()))
                .allSatisfy(c -> assertThat(rows).as("a row for %s in %s", c, doc)
                        .anySatisfy(r -> assertThat(r).startsWith("| `" + c.name())));
    }
}
