package dev.netplay.common.resp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A reader of a server's replies that does not trust the server: every bound ends in one IOException naming it. */
class ReplyReaderTest {
    private static ReplyReader reader(String bytes, long maxBytes) {
        return new ReplyReader(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1)), maxBytes, null);
    }

    @Test
    void wellFormedRepliesAreReadWhole() throws IOException {
        assertThat(reader("+OK\r\n$3\r\nabc\r\n*2\r\n:1\r\n$-1\r\n", 1_000).readText()).isEqualTo("+OK\r\n");
        ReplyReader r = reader("$3\r\nabc\r\n*2\r\n:1\r\n$-1\r\n", 1_000);
        assertThat(r.readText()).isEqualTo("$3\r\nabc\r\n");
        assertThat(r.readText()).isEqualTo("*2\r\n:1\r\n$-1\r\n");
    }

    @Test
    void aBulkAnnouncedPastTheBoundFailsBeforeAnythingIsRead() {
        assertThatThrownBy(() -> reader("$2000000000\r\n", 1024 * 1024).readRaw())
                .isInstanceOf(IOException.class).hasMessage("a reply longer than 1048576 bytes: '$2000000000'");
    }

    @Test
    void anEndlessLineADeepNestAndABadLengthAreRefused() {
        assertThatThrownBy(() -> reader("+" + "a".repeat(70_000), Long.MAX_VALUE).readRaw())
                .hasMessage("a reply line longer than 65536 bytes");
        assertThatThrownBy(() -> reader("*1\r\n".repeat(100), Long.MAX_VALUE).readRaw())
                .hasMessage("a reply of arrays nested deeper than 7");
        assertThatThrownBy(() -> reader("*x\r\n", 1_000).readRaw()).hasMessage("not a RESP length: '*x'");
        assertThatThrownBy(() -> reader("?\r\n", 1_000).readRaw()).hasMessage("not a RESP reply: '?'");
        assertThatThrownBy(() -> reader("*3\r\n" + "+OK\r\n".repeat(3), 12).readRaw()).hasMessage("a reply longer than 12 bytes");
    }

    @Test
    void aReplyDrippedPastItsTimeIsCutOff() {
        InputStream drip = new InputStream() {
            private final byte[] reply = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
            private int next;

            @Override
            public int read() throws IOException {
                try {
                    Thread.sleep(30); // a byte every 30 ms: the whole reply would take 150 ms
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return next < reply.length ? reply[next++] : -1;
            }
        };
        assertThatThrownBy(() -> new ReplyReader(drip, 1_000, Duration.ofMillis(50)).readRaw())
                .isInstanceOf(SocketTimeoutException.class).hasMessage("a reply not whole within 50 ms");
    }
}
