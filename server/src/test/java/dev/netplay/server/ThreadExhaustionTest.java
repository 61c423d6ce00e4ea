package dev.netplay.server;

import dev.netplay.server.threads.BlockingServer;
import dev.netplay.server.core.ThreadMode;
import dev.netplay.server.testing.RespClient;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ThreadExhaustionTest {
    @Test
    void aConnectionWhoseThreadCannotStartGetsAnErrorAndTheServerGoesOn() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory failsEverySecond = runnable -> {
            if (made.incrementAndGet() % 2 == 0) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached");
            }
            return new Thread(runnable);
        };
        BlockingServer server = new BlockingServer(new InetSocketAddress("127.0.0.1", 0), ThreadMode.PLATFORM, 0, 100, failsEverySecond);
        server.start();
        try (RespClient served = new RespClient(server.address());
             RespClient refused = new RespClient(server.address());
             RespClient servedToo = new RespClient(server.address())) {
            assertThat(served.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(new String(refused.readAll(), StandardCharsets.US_ASCII))
                    .startsWith("-ERR cannot start a thread for this connection: unable to create native thread");
            assertThat(servedToo.call("PING")).isEqualTo("+PONG\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().connectedClients() == 2);
        } finally {
            server.stop(Duration.ZERO);
        }
    }
}
