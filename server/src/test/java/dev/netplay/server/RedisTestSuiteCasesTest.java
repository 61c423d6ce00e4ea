package dev.netplay.server;

import dev.netplay.server.core.Server;

import dev.netplay.server.core.ServerGuards;
import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cases of Redis's own test suite that apply to netplay's commands, replayed byte for byte on every model:
 * {@code tests/unit/protocol.tcl} (malformed frames, inline quoting) and {@code tests/unit/auth.tcl} (the password,
 * and the bounds on a client that has not given it). Each case's name is Redis's; its expected reply is Redis's
 * pattern (a glob there, a substring here), the exact netplay text where netplay's is longer.
 */
class RedisTestSuiteCasesTest {
    private static final String PASSWORD = "foobar"; // auth.tcl's
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    private RespClient client(ModelUnderTest model, String password) throws Exception {
        server = model.start(ServerGuards.DEFAULTS.withRequirePass(password));
        return new RespClient(server.address());
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Sends {@code raw} and returns all the server wrote before it closed the connection. */
    private static String untilClosed(RespClient c, String raw) throws Exception {
        c.send(raw);
        return ascii(c.readAll());
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void protocolTclCasesGetRedisReplies(ModelUnderTest model) throws Exception {
        try (RespClient c = client(model, null)) {
            // "Handle an empty query", "Negative multibulk length": no request at all, then PING is answered
            assertThat(c.send("\r\n").call("PING")).isEqualTo("+PONG\r\n");
            assertThat(c.send("*-10\r\n").call("PING")).isEqualTo("+PONG\r\n");
            // "Generic wrong number of args"
            assertThat(c.send("ping x y z\r\n").readReply()).contains("wrong").contains("arguments").contains("ping");
            // Inline requests split as sdssplitargs does: quotes, escapes
            assertThat(c.send("ECHO \"hello world\"\r\n").readReply()).isEqualTo("$11\r\nhello world\r\n");
            assertThat(c.send("ECHO 'it\\'s'\r\n").readReply()).isEqualTo("$4\r\nit's\r\n");
            assertThat(c.send("ECHO \"\\x41\\tB\"\r\n").readReply()).isEqualTo("$3\r\nA\tB\r\n");
            assertThat(c.send("ECHO \"\"\r\n").readReply()).isEqualTo("$0\r\n\r\n");
            assertThat(c.send("ECHO a\"b c\"d\r\n").readReply()).as("a quote inside a word must end it")
                    .isEqualTo("-ERR Protocol error: unbalanced quotes in request\r\n");
        }
        String[][] closing = {
                // "Unbalanced number of quotes"
                {"set \"\"\"test-key\"\"\" test-value\r\nping\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
                // "Out of range multibulk length"
                {"*3000000000\r\n", "invalid multibulk length"},
                // "Wrong multibulk payload header"
                {"*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", "expected '$', got 'f'"},
                // "Negative multibulk payload length"
                {"*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n", "invalid bulk length"},
                // "Out of range multibulk payload length"
                {"*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n", "invalid bulk length"},
                // "Non-number multibulk payload length"
                {"*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n", "invalid bulk length"},
                // "Multi bulk request not followed by bulk arguments"
                {"*1\r\nfoo\r\n", "expected '$', got 'f'"},
        };
        for (String[] kase : closing) {
            try (RespClient c = new RespClient(server.address())) {
                assertThat(untilClosed(c, kase[0])).as(kase[0]).startsWith("-ERR Protocol error: ").contains(kase[1]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void authTclCasesGetRedisReplies(ModelUnderTest model) throws Exception {
        try (RespClient c = client(model, PASSWORD)) {
            // "AUTH fails when a wrong password is given"
            assertThat(c.call("AUTH", "wrong!")).startsWith("-WRONGPASS");
            // "Arbitrary command gives an error when AUTH is required"
            assertThat(c.call("ECHO", "foo")).startsWith("-NOAUTH");
            // "AUTH succeeds when the right password is given", "Once AUTH succeeded we can actually send commands"
            assertThat(c.call("AUTH", PASSWORD)).isEqualTo("+OK\r\n");
            assertThat(c.call("ECHO", "foo")).isEqualTo("$3\r\nfoo\r\n");
            assertThat(c.call("ECHO", "x".repeat(100_000))).as("the bounds end with the password")
                    .startsWith("$100000\r\n");
        }
        // "For unauthenticated clients multibulk and bulk length are limited"
        try (RespClient c = new RespClient(server.address())) {
            assertThat(untilClosed(c, "*100\r\n")).isEqualTo("-ERR Protocol error: unauthenticated multibulk length\r\n");
        }
        try (RespClient c = new RespClient(server.address())) {
            assertThat(untilClosed(c, "*1\r\n$100000000\r\n")).isEqualTo("-ERR Protocol error: unauthenticated bulk length\r\n");
        }
        try (RespClient c = new RespClient(server.address())) {
            assertThat(untilClosed(c, "ECHO " + "x".repeat(16_400)))
                    .isEqualTo("-ERR Protocol error: unauthenticated inline request too long (expected: <= 16384 bytes)\r\n");
        }
        try (RespClient c = new RespClient(server.address())) {
            assertThat(c.call("ECHO", "x".repeat(16_384))).as("a bulk at the bound is answered (NOAUTH)").startsWith("-NOAUTH");
        }
    }
}
