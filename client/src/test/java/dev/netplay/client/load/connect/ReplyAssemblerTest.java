package dev.netplay.client.load.connect;

import dev.netplay.client.load.plan.RequestSpec;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyAssemblerTest {
    /** Decodes {@code replies} fed in pieces of {@code piece} bytes and returns one outcome per whole reply. */
    private static List<ReplyAssembler.Outcome> outcomes(String request, String replies, int piece) {
        ReplyAssembler assembler = new ReplyAssembler(RequestSpec.parse(request).check());
        EmbeddedChannel channel = new EmbeddedChannel(new RedisDecoder());
        byte[] bytes = replies.getBytes(StandardCharsets.ISO_8859_1);
        List<ReplyAssembler.Outcome> result = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += piece) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(piece, bytes.length - i)));
            RedisMessage msg;
            while ((msg = channel.readInbound()) != null) {
                ReplyAssembler.Outcome o = assembler.accept(msg);
                ReferenceCountUtil.release(msg);
                if (o != null) {
                    result.add(o);
                }
            }
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return result;
    }

    @Test
    void dataRepliesAreCheckedByteForByteAsTheyStream() {
        String good = "$30\r\nabcdefghijklmnopqrstuvwxyzabcd\r\n";
        String bad = "$30\r\nabcdefghijklmnopqrstuvwxyzabce\r\n";
        for (int piece : new int[] {1, 7, 1000}) {
            assertThat(outcomes("DATA 30", good + bad + good, piece)).containsExactly(
                    ReplyAssembler.Outcome.OK, ReplyAssembler.Outcome.WRONG, ReplyAssembler.Outcome.OK);
        }
    }

    @Test
    void aBulkOfTheWrongLengthIsWrong() {
        assertThat(outcomes("ECHO hello", "$5\r\nhello\r\n$4\r\nhell\r\n$6\r\nhello!\r\n", 3))
                .containsExactly(ReplyAssembler.Outcome.OK, ReplyAssembler.Outcome.WRONG, ReplyAssembler.Outcome.WRONG);
    }

    @Test
    void simpleRepliesAndServerErrorsAreTold() {
        assertThat(outcomes("SLEEP 1", "+OK\r\n+PONG\r\n-ERR busy\r\n", 2)).containsExactly(
                ReplyAssembler.Outcome.OK, ReplyAssembler.Outcome.WRONG, ReplyAssembler.Outcome.SERVER_ERROR);
    }

    @Test
    void aWrongReplyIsQuotedAsItsFirstLineReads() {
        ReplyAssembler assembler = new ReplyAssembler(RequestSpec.parse("BLPOP x 1", "*-1", 1000).check());
        EmbeddedChannel channel = new EmbeddedChannel(new RedisDecoder());
        List<String> got = new ArrayList<>();
        channel.writeInbound(Unpooled.wrappedBuffer("*-1\r\n-ERR unknown command 'BLPOP'\r\n$5\r\nhello\r\n:7\r\n"
                .getBytes(StandardCharsets.ISO_8859_1)));
        RedisMessage msg;
        while ((msg = channel.readInbound()) != null) {
            if (assembler.accept(msg) != null) {
                got.add(assembler.got());
            }
            ReferenceCountUtil.release(msg);
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(got).containsExactly("*-1", "-ERR unknown command 'BLPOP'", "$5 hello", ":7");
    }

    @Test
    void nestedArraysCountAsOneReplyForUncheckedCommands() {
        assertThat(outcomes("LRANGE k 0 -1", "*2\r\n$1\r\na\r\n*1\r\n:1\r\n$-1\r\n*0\r\n", 4))
                .containsExactly(ReplyAssembler.Outcome.OK, ReplyAssembler.Outcome.OK, ReplyAssembler.Outcome.OK);
    }
}
