package dev.netplay.server.netty;

import dev.netplay.server.cli.ServerOptions;
import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.server.core.ServerSettings;
import dev.netplay.server.core.ServerStats;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's pipeline in an EmbeddedChannel: how a read burst's replies leave it. */
class ReplyCoalescerTest {
    private static final String PING = "*1\r\n$4\r\nPING\r\n";
    private static final String PONG = "+PONG\r\n";

    /** Remembers every direct buffer it hands out, to check that each is released. */
    private static final class RecordingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> made = new ArrayList<>();

        RecordingAllocator() {
            super(true);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buf = Unpooled.directBuffer(initialCapacity, maxCapacity);
            made.add(buf);
            return buf;
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return newDirectBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    private final RecordingAllocator alloc = new RecordingAllocator();
    private final EmbeddedChannel channel = server();

    private EmbeddedChannel server() {
        ServerStats stats = new ServerStats();
        ServerSettings settings = new ServerSettings("netty", "embedded", 1, 0, ServerSettings.SLEEP_TIMER, 10);
        EmbeddedChannel ch = new EmbeddedChannel(RespChannelInitializer.embedded(new CommandDispatcher(settings, stats), stats,
                ServerOptions.DEFAULT_IDLE_TIMEOUT)); // the server's own pipeline, with the CLI's idle timeout
        ch.config().setAllocator(alloc);
        return ch;
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    /** Sends {@code requests} as one read; returns each buffer written, as text, releasing it. */
    private List<String> burst(String requests) {
        channel.writeInbound(Unpooled.copiedBuffer(requests, StandardCharsets.US_ASCII));
        List<String> written = new ArrayList<>();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            written.add(out.toString(StandardCharsets.US_ASCII));
            out.release();
        }
        return written;
    }

    @Test
    void sixteenPipelinedPingsLeaveAsOneBuffer() {
        assertThat(burst(PING.repeat(16))).containsExactly(PONG.repeat(16));
    }

    @Test
    void aBurstOfOneReplyLeavesAsItIs() {
        assertThat(burst(PING)).containsExactly(PONG);
        assertThat(alloc.made).as("a PONG alone is a shared buffer's duplicate").isEmpty();
    }

    @Test
    void aLargeReplyBetweenSmallOnesKeepsItsPlace() {
        String big = "x".repeat(ReplyCoalescer.MAX_GATHERED_REPLY_BYTES + 1);
        String echo = "*2\r\n$4\r\nECHO\r\n$" + big.length() + "\r\n" + big + "\r\n";
        assertThat(String.join("", burst(PING + PING + echo + PING)))
                .isEqualTo(PONG + PONG + "$" + big.length() + "\r\n" + big + "\r\n" + PONG);
    }

    @Test
    void aDataStreamBetweenPingsKeepsItsPlace() {
        List<String> written = burst(PING + PING + "*2\r\n$4\r\nDATA\r\n$2\r\n10\r\n" + PING);
        String all = String.join("", written);
        assertThat(all).startsWith(PONG + PONG + "$10\r\n").endsWith("\r\n" + PONG).hasSize(2 * PONG.length() + 5 + 10 + 2 + PONG.length());
    }

    @Test
    void repliesGatheredWhenTheChannelClosesAreReleased() {
        channel.pipeline().fireChannelRead(Unpooled.copiedBuffer(PING.repeat(3), StandardCharsets.US_ASCII));
        assertThat(alloc.made).as("gathered, not yet flushed").hasSize(1);
        channel.close();
        assertThat(alloc.made).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    }
}
