package dev.netplay.client.load.plan;

import dev.netplay.common.protocol.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The load client checks every reply that the protocol's command catalogue says follows from the request. */
class RequestSpecTest {
    /** A good request of each command; a new command without one here fails the test below. */
    private static final Map<Command, String> EXAMPLES = Map.ofEntries(
            Map.entry(Command.PING, "PING"), Map.entry(Command.ECHO, "ECHO hi"), Map.entry(Command.SLEEP, "SLEEP 5"),
            Map.entry(Command.FETCH, "FETCH 5"), Map.entry(Command.GATHER, "GATHER 2 5"), Map.entry(Command.DATA, "DATA 9"),
            Map.entry(Command.WORK, "WORK 1"), Map.entry(Command.INFO, "INFO"), Map.entry(Command.CONFIG, "CONFIG GET save"),
            Map.entry(Command.COMMAND, "COMMAND"), Map.entry(Command.HELLO, "HELLO 2"), Map.entry(Command.CLIENT, "CLIENT ID"),
            Map.entry(Command.MEMORY, "MEMORY PURGE"), Map.entry(Command.SELECT, "SELECT 0"),
            Map.entry(Command.AUTH, "AUTH default any"));

    @Test
    void everyReplyThatFollowsFromTheRequestIsCheckedExactlyAndTheOthersAsNoError() {
        for (Command command : Command.values()) {
            if (command.answer() == Command.Answer.CLOSES) {
                continue;
            }
            assertThat(EXAMPLES).as("an example request of %s", command).containsKey(command);
            ReplyCheck check = RequestSpec.parse(EXAMPLES.get(command)).check();
            if (command.replyFollowsFromRequest()) {
                assertThat(check.kind).as(command.name()).isNotEqualTo(ReplyCheck.Kind.ANY_NON_ERROR);
            } else {
                assertThat(check.kind).as(command.name()).isEqualTo(ReplyCheck.Kind.ANY_NON_ERROR);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SLEEP 1000", "FETCH 1000", "GATHER 10 1000"})
    void aWaitIsTheRequestsBestCaseForLittlesLaw(String request) {
        assertThat(RequestSpec.parse(request).sleepMillis()).isEqualTo(1000);
    }

    @Test
    void aBadArgumentFailsWithTheServersOwnErrorText() {
        assertThatThrownBy(() -> RequestSpec.parse("GATHER 65 10"))
                .hasMessage("--request 'GATHER 65 10': ERR GATHER n is out of range: '65' (expected: 1..64)");
        assertThatThrownBy(() -> RequestSpec.parse("sleep"))
                .hasMessage("--request 'sleep': ERR wrong number of arguments for 'sleep' command (got 0, expected: 1)");
    }

    @Test
    void aCommandThatClosesTheConnectionIsNoLoadRequest() {
        assertThatThrownBy(() -> RequestSpec.parse("quit")).hasMessageContaining("closes the connection");
    }
}
