package dev.netplay.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The decoder alone, fed as a socket may deliver: a byte at a time, a CRLF cut in two, a request over many reads. */
class RespRequestDecoderTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    private static List<String> words(Object request) {
        @SuppressWarnings("unchecked")
        List<byte[]> args = (List<byte[]>) request;
        return args.stream().map(a -> new String(a, StandardCharsets.US_ASCII)).toList();
    }

    @Test
    void aRequestFedOneByteAtATimeComesOutOnceWhole() {
        byte[] bytes = "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length - 1; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {bytes[i]}));
            assertThat((Object) channel.readInbound()).as("after %d of %d bytes", i + 1, bytes.length).isNull();
        }
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {bytes[bytes.length - 1]}));

        assertThat(words(channel.readInbound())).containsExactly("ECHO", "hello");
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void aCrlfCutBetweenTwoReadsEndsTheRequestOnlyWithItsLineFeed() {
        channel.writeInbound(ascii("PING\r"));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(ascii("\n*1\r\n$4\r\nPING\r"));
        assertThat(words(channel.readInbound())).containsExactly("PING");
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(ascii("\n"));

        assertThat(words(channel.readInbound())).containsExactly("PING");
    }

    @Test
    void aRequestLargerThanOneReadIsAssembledAcrossReads() {
        byte[] payload = new byte[100 * 1024];
        Arrays.fill(payload, (byte) 'x');
        byte[] request = ("*2\r\n$4\r\nECHO\r\n$" + payload.length + "\r\n" + new String(payload, StandardCharsets.US_ASCII) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int read = 16 * 1024;
        for (int off = 0; off < request.length; off += read) {
            channel.writeInbound(Unpooled.wrappedBuffer(request, off, Math.min(read, request.length - off)));
        }

        @SuppressWarnings("unchecked")
        List<byte[]> args = channel.readInbound();
        assertThat(args).hasSize(2);
        assertThat(args.get(1)).isEqualTo(payload);
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void whatItHoldsForAnUnfinishedRequestIsCountedAndLetGoWhenTheRequestCompletes() {
        RespRequestDecoder decoder = channel.pipeline().get(RespRequestDecoder.class);
        channel.writeInbound(ascii("*2\r\n$4\r\nECHO\r\n$1000\r\n" + "y".repeat(600)));
        assertThat(decoder.heldBytes()).as("600 bytes of an unfinished argument").isGreaterThanOrEqualTo(600);

        channel.writeInbound(ascii("y".repeat(400) + "\r\n"));

        assertThat(words(channel.readInbound())).containsExactly("ECHO", "y".repeat(1000));
        assertThat(decoder.heldBytes()).isLessThan(600);
    }

    @Test
    void aFramingErrorComesAfterTheRequestsBeforeItAndNothingAfterItIsDecoded() {
        channel.writeInbound(ascii("PING\r\n*1\r\n$x\r\nPING\r\n"));
        channel.writeInbound(ascii("PING\r\n"));

        assertThat(words(channel.readInbound())).containsExactly("PING");
        Object failure = channel.readInbound();
        assertThat(failure).isInstanceOf(RespRequestDecoder.ProtocolFailure.class);
        assertThat(new String(((RespRequestDecoder.ProtocolFailure) failure).reply(), StandardCharsets.US_ASCII))
                .startsWith("-ERR Protocol error").endsWith("\r\n");
        assertThat((Object) channel.readInbound()).isNull();
    }
}
