package dev.netplay.server;

import dev.netplay.common.protocol.Limits;
import dev.netplay.server.testing.RespClient;
import dev.netplay.server.testing.ServerModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One corpus of request streams, sent to every model: the reply bytes must be identical. */
class DifferentialTest {
    private static final Map<ServerModel, Server> servers = new EnumMap<>(ServerModel.class);

    /** Each stream is a list of pieces, written one after another, then the client half-closes. */
    static Map<String, List<String>> corpus() {
        Map<String, List<String>> corpus = new LinkedHashMap<>();
        corpus.put("ping", List.of("PING\r\n"));
        corpus.put("binary echo", List.of(RespClient.multibulk("ECHO", "\0\r\n\u00ff$*")));
        corpus.put("pipelined mix", List.of("PING\r\nECHO a\r\n" + RespClient.multibulk("SLEEP", "50")
                + "DATA 100\r\nWORK 3\r\nNOPE 1 2\r\nECHO\r\nCONFIG GET x\r\nCOMMAND\r\nPING msg\r\nINFO a b\r\n"));
        corpus.put("inline blanks and tabs", List.of("\r\n\n  PING \t\r\n\tECHO  two\n"));
        corpus.put("bad numbers", List.of("SLEEP -1\r\nSLEEP 60001\r\nDATA 1e3\r\nWORK 10000001\r\nSLEEP 0\r\n"));
        corpus.put("empty multibulks", List.of("*0\r\n*-1\r\nPING\r\n"));
        corpus.put("quit mid-pipeline", List.of("PING\r\nQUIT\r\nPING\r\n"));
        corpus.put("bad multibulk length", List.of("PING\r\n*abc\r\nPING\r\n"));
        corpus.put("too many arguments", List.of("*1025\r\n"));
        corpus.put("negative bulk length", List.of("*1\r\n$-5\r\n"));
        corpus.put("bulk over the limit", List.of("*2\r\n$4\r\nECHO\r\n$" + (Limits.MAX_BULK_BYTES + 1) + "\r\n"));
        corpus.put("missing CRLF after bulk", List.of("*2\r\n$4\r\nECHO\r\n$3\r\nabcd\r\n"));
        corpus.put("not a bulk", List.of("*1\r\n+PING\r\n"));
        corpus.put("inline line over the limit", List.of("x".repeat(Limits.MAX_INLINE_BYTES + 2)));
        corpus.put("half a request then EOF", List.of("PING\r\n*2\r\n$4\r\nECHO\r\n$5\r\nhel"));
        corpus.put("one byte at a time", split(RespClient.multibulk("ECHO", "fragmented") + "PING\r\n", 1));
        corpus.put("split inside CRLF", List.of("*2\r", "\n$4\r", "\nECHO\r", "\n$2\r", "\nok\r", "\nPING\r", "\n"));
        corpus.put("sleep between pieces", List.of("SLEEP 30\r\nECHO", " after\r\n"));
        return corpus;
    }

    private static List<String> split(String s, int size) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < s.length(); i += size) {
            pieces.add(s.substring(i, Math.min(s.length(), i + size)));
        }
        return pieces;
    }

    @BeforeAll
    static void startEveryAvailableModel() throws Exception {
        for (ServerModel model : ServerModel.values()) {
            try {
                servers.put(model, model.start());
            } catch (org.opentest4j.TestAbortedException unavailable) {
                // a model this JVM cannot run (virtual threads on Java 17) is left out of the comparison
            }
        }
    }

    @AfterAll
    static void stopAll() {
        servers.values().forEach(s -> s.stop(Duration.ZERO));
    }

    private static byte[] replies(Server server, List<String> pieces) throws Exception {
        try (RespClient client = new RespClient(server.address())) {
            for (String piece : pieces) {
                client.send(piece);
            }
            return client.finishAndReadAll();
        }
    }

    @Test
    void everyModelAnswersEveryStreamWithTheSameBytes() throws Exception {
        assertThat(servers).hasSizeGreaterThanOrEqualTo(4);
        for (Map.Entry<String, List<String>> stream : corpus().entrySet()) {
            Map<ServerModel, String> byModel = new EnumMap<>(ServerModel.class);
            for (Map.Entry<ServerModel, Server> server : servers.entrySet()) {
                byModel.put(server.getKey(), new String(replies(server.getValue(), stream.getValue()), StandardCharsets.ISO_8859_1));
            }
            String reference = byModel.values().iterator().next();
            assertThat(byModel).as("stream '%s'", stream.getKey()).allSatisfy((model, reply) ->
                    assertThat(reply).as("%s on stream '%s'", model, stream.getKey()).isEqualTo(reference));
        }
    }

    @Test
    void theCorpusCoversRepliesErrorsAndClosesNotJustEmptiness() throws Exception {
        Server any = servers.values().iterator().next();
        Map<String, List<String>> corpus = corpus();
        assertThat(replies(any, corpus.get("quit mid-pipeline"))).asString(StandardCharsets.US_ASCII).isEqualTo("+PONG\r\n+OK\r\n");
        assertThat(replies(any, corpus.get("half a request then EOF"))).asString(StandardCharsets.US_ASCII).isEqualTo("+PONG\r\n");
        assertThat(replies(any, corpus.get("inline line over the limit"))).asString(StandardCharsets.US_ASCII)
                .isEqualTo("-ERR Protocol error: inline request too long (expected: <= 65536 bytes)\r\n");
        assertThat(replies(any, corpus.get("sleep between pieces"))).asString(StandardCharsets.US_ASCII).isEqualTo("+OK\r\n$5\r\nafter\r\n");
        byte[] mix = replies(any, corpus.get("pipelined mix"));
        assertThat(new String(mix, StandardCharsets.US_ASCII).split("\r\n")).hasSizeGreaterThan(10);
        assertThat(Arrays.asList(new String(mix, StandardCharsets.US_ASCII).split("\r\n"))).contains("-ERR unknown command 'NOPE'");
    }
}
