package dev.netplay.server.netty;

import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.server.core.ServerSettings;
import dev.netplay.server.core.ServerStats;
import dev.netplay.server.cli.ServerOptions;
import dev.netplay.server.testing.RespClient;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pipeline the tests and the JMH benchmark build (RespChannelInitializer.embedded) is the server's own. */
class PipelineTest {
    @Test
    void theEmbeddedPipelineOfTheTestsAndTheBenchmarkHasTheServersHandlersInTheServersOrder() throws Exception {
        NettyServer server = new NettyServer(new InetSocketAddress("127.0.0.1", 0), Transport.NIO, 1, false, 100,
                ServerOptions.DEFAULT_IDLE_TIMEOUT);
        server.start();
        try (RespClient client = new RespClient(server.address())) {
            assertThat(client.call("PING")).isEqualTo("+PONG\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> !server.connectionPipeline().isEmpty());
            ServerStats stats = new ServerStats();
            ServerSettings settings = new ServerSettings("netty", "embedded", 1, 0, ServerSettings.SLEEP_TIMER, 10);
            EmbeddedChannel embedded = new EmbeddedChannel(RespChannelInitializer.embedded(new CommandDispatcher(settings, stats),
                    stats, ServerOptions.DEFAULT_IDLE_TIMEOUT));
            List<Class<?>> classes = embedded.pipeline().toMap().values().stream().<Class<?>>map(Object::getClass).toList();
            assertThat(classes).isEqualTo(server.connectionPipeline());
            assertThat(classes).hasSize(5).first().isEqualTo(AdmissionHandler.class); // ChunkedWriteHandler comes with a first DATA
            embedded.finishAndReleaseAll();
        } finally {
            server.stop(Duration.ZERO);
        }
    }
}
