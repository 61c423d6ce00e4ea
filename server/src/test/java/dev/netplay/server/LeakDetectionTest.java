package dev.netplay.server;

import dev.netplay.server.testing.LeakCheckExtension;
import dev.netplay.server.testing.ParanoidLeakDetection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proves that the leak check can fail: a buffer dropped unreleased is reported. Alone: the leak collector is global,
 * and a test class running beside it would collect (and fail on) this leak instead.
 */
@ExtendWith(ParanoidLeakDetection.class)
@org.junit.jupiter.api.parallel.Isolated
class LeakDetectionTest {
    @Test
    void aDroppedBufferIsReportedAsALeak() {
        leakOne();
        await().atMost(Duration.ofSeconds(20)).until(() -> !LeakCheckExtension.collect().isEmpty());
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(64);
        leaked.writeInt(42);
        assertThat(leaked.readableBytes()).isEqualTo(4);
        // dropped without release(), on purpose
    }
}
