package dev.netplay.server;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;

import dev.netplay.server.testing.LeakCheckExtension;
import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.ParanoidLeakDetection;
import dev.netplay.server.testing.RespClient;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With every buffer tracked (Netty's PARANOID level), the Netty server releases every buffer it takes: on every
 * stream of the differential corpus, on large DATA replies read whole or cut off by the client, and on a stop with
 * connections open. {@link LeakDetectionTest} shows that the same check does see a leak.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests mostly wait (for timeouts, a model each): side by side in the fast set
@ExtendWith(ParanoidLeakDetection.class)
class BufferLeakTest {
    /** Each collection gives the detector another look at buffers collected since. */
    private static final int COLLECTIONS = 3;

    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "NETTY_NIO"})
    void everyBufferIsReleasedWhateverTheClientDoes(ModelUnderTest model) throws Exception {
        LeakCheckExtension.collect(); // what earlier test classes left is theirs
        Server server = model.start();
        try {
            for (Map.Entry<String, List<String>> stream : DifferentialTest.corpus().entrySet()) {
                try (RespClient client = new RespClient(server.address())) {
                    for (String piece : stream.getValue()) {
                        client.send(piece);
                    }
                    client.finishAndReadAll();
                }
            }
            try (RespClient client = new RespClient(server.address())) {
                assertThat(client.call("DATA", Integer.toString(3 * 1024 * 1024))).hasSize(3 * 1024 * 1024 + 12);
            }
            for (int i = 0; i < 20; i++) {
                try (Socket cutOff = new Socket(server.address().getAddress(), server.address().getPort())) {
                    cutOff.getOutputStream().write("DATA 8000000\r\nPING\r\n".getBytes());
                    InputStream in = cutOff.getInputStream();
                    assertThat(in.readNBytes(1000)).hasSize(1000); // then gone, mid-reply
                }
            }
            List<RespClient> open = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                open.add(new RespClient(server.address()).send("SLEEP 60000\r\n"));
            }
            server.stop(Duration.ZERO);
            for (RespClient client : open) {
                client.close();
            }
        } finally {
            server.stop(Duration.ZERO);
        }
        List<String> leaks = new ArrayList<>();
        for (int i = 0; i < COLLECTIONS; i++) {
            leaks.addAll(LeakCheckExtension.collect());
        }
        assertThat(leaks).as("buffers leaked by %s", model).isEmpty();
    }

    /** Backend calls answered, cut by a dying backend, answered wrongly and timed out: every buffer released. */
    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "NETTY_NIO"})
    void everyBackendCallReleasesItsBuffersWhateverTheBackendDoes(ModelUnderTest model) throws Exception {
        LeakCheckExtension.collect();
        dev.netplay.server.netty.NettyServer good = new dev.netplay.server.netty.NettyServer(
                new java.net.InetSocketAddress("127.0.0.1", 0), dev.netplay.server.netty.Transport.AUTO, 1, false, 1_000);
        good.start();
        try {
            List<java.net.InetSocketAddress> backends = new ArrayList<>(List.of(good.address()));
            List<dev.netplay.server.testing.FakeBackend> fakes = new ArrayList<>();
            for (dev.netplay.server.testing.FakeBackend.Behaviour b : dev.netplay.server.testing.FakeBackend.Behaviour.values()) {
                dev.netplay.server.testing.FakeBackend fake = new dev.netplay.server.testing.FakeBackend(b);
                fakes.add(fake);
                backends.add(fake.address());
            }
            for (java.net.InetSocketAddress backend : backends) {
                Server server = model.start(ServerConfig.of(new java.net.InetSocketAddress("127.0.0.1", 0), 1_000)
                        .withBackend(dev.netplay.server.backend.BackendSettings.NONE.withAddress(backend)
                                .withTimeout(Duration.ofMillis(300))));
                try (RespClient client = new RespClient(server.address())) {
                    for (int i = 0; i < 20; i++) {
                        assertThat(client.call("GATHER", "5", "5")).as("%s via %s", model, backend).isNotEmpty();
                    }
                } finally {
                    server.stop(Duration.ZERO);
                }
            }
            for (dev.netplay.server.testing.FakeBackend fake : fakes) {
                fake.close();
            }
        } finally {
            good.stop(Duration.ZERO);
        }
        List<String> leaks = new ArrayList<>();
        for (int i = 0; i < COLLECTIONS; i++) {
            leaks.addAll(LeakCheckExtension.collect());
        }
        assertThat(leaks).as("buffers leaked by %s's backend calls", model).isEmpty();
    }
}
