package dev.netplay.server.netty;

import dev.netplay.server.backend.BackendSettings;
import dev.netplay.server.backend.BackendStats;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One backend channel's end of a call: whatever happens to the channel, the call ends, and within its timeout. */
class BackendHandlerTest {
    private static final BackendSettings SETTINGS = BackendSettings.NONE.withAddress(new InetSocketAddress("127.0.0.1", 7));

    /**
     * A channel that closed after the pool's health check and before the call (a backend dying under a storm of
     * closes): the call ends at once with the lost-connection error. It used to wait forever: no close event was to
     * come, and the deadline's timer passed over inactive channels.
     */
    @Test
    void aCallOnAChannelThatClosedBeforeItEndsAtOnce() {
        BackendHandler handler = new BackendHandler(SETTINGS, new BackendStats());
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        channel.close();
        List<String> outcomes = new ArrayList<>();
        handler.call("SLEEP 10\r\n".getBytes(StandardCharsets.US_ASCII), TimeUnit.SECONDS.toNanos(1),
                (error, reusable) -> outcomes.add(error == null ? "ok" : new String(error, StandardCharsets.US_ASCII).strip()
                        + (reusable ? " (reusable)" : "")));
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runPendingTasks();
        assertThat(outcomes).containsExactly("-ERR backend unavailable: connection lost with a call in flight (127.0.0.1:7)");
    }

    @Test
    void aCallAnsweredAsAskedLeavesItsChannelReusable() {
        BackendHandler handler = new BackendHandler(SETTINGS, new BackendStats());
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        List<String> outcomes = new ArrayList<>();
        handler.call("SLEEP 10\r\n".getBytes(StandardCharsets.US_ASCII), TimeUnit.SECONDS.toNanos(1),
                (error, reusable) -> outcomes.add((error == null ? "ok" : "error") + (reusable ? " reusable" : "")));
        channel.writeInbound(io.netty.buffer.Unpooled.copiedBuffer("+OK\r\n", StandardCharsets.US_ASCII));
        assertThat(outcomes).containsExactly("ok reusable");
        channel.finishAndReleaseAll();
    }
}
