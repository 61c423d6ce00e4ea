package dev.netplay.server;

import org.junit.jupiter.api.Tag;
import dev.netplay.server.testing.RespClient;
import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.ServerProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Faults against each model running as its own process, as users run it; its log is checked too. */
@Tag("full") // a long test: mvn -B verify -Pfull
class FaultToleranceTest {
    private static final Duration SETTLE = Duration.ofSeconds(20);

    private static ServerProcess start(ModelUnderTest model, String... extra) throws Exception {
        model.assumeAvailable();
        List<String> args = new ArrayList<>(model.cliArgs());
        args.addAll(List.of(extra));
        // Leak tests too: with every buffer tracked, a leak under these faults logs at ERROR, which assertQuietLog sees.
        return ServerProcess.start(args, List.of(), List.of("-Dio.netty.leakDetection.level=PARANOID"));
    }

    private static int info(InetSocketAddress address, String field) throws IOException {
        try (RespClient c = new RespClient(address)) {
            return Integer.parseInt(c.info().get(field));
        }
    }

    /** Closes with a reset (SO_LINGER 0), as a crashed or killed client does. */
    private static void vanish(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    private static void assertQuietLog(ServerProcess server) {
        assertThat(String.join("\n", server.output())).as("server log").doesNotContain("\tat ", "Exception", "WARN", "ERROR");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "NETTY_NIO", "THREADS_PLATFORM", "THREADS_VIRTUAL", "THREADS_POOL", "nio"})
    void clientsVanishingMidSleepAndMidDataLeaveNoTraceAndNoConnection(ModelUnderTest model) throws Exception {
        try (ServerProcess server = start(model)) {
            InetSocketAddress address = server.address();
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Socket s = new Socket(address.getAddress(), address.getPort());
                s.getOutputStream().write("SLEEP 300\r\n".getBytes(StandardCharsets.US_ASCII));
                sockets.add(s);
            }
            for (int i = 0; i < 10; i++) {
                Socket s = new Socket(address.getAddress(), address.getPort());
                s.getOutputStream().write("DATA 60000000\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(in.readNBytes(100_000)).hasSize(100_000); // the reply is streaming
                sockets.add(s);
            }
            for (Socket s : sockets) {
                vanish(s);
            }
            await().atMost(SETTLE).until(() -> info(address, "connected_clients") == 1);
            try (RespClient c = new RespClient(address)) {
                assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            }
            assertQuietLog(server);
            assertThat(server.terminate(10)).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "THREADS_PLATFORM", "nio"})
    void aClientThatPipelinesHugeRepliesAndNeverReadsCannotExhaustMemory(ModelUnderTest model) throws Exception {
        try (ServerProcess server = start(model)) {
            InetSocketAddress address = server.address();
            long rssBefore;
            try (RespClient control = new RespClient(address)) {
                rssBefore = Long.parseLong(control.info().get("rss_bytes"));
                try (Socket greedy = new Socket(address.getAddress(), address.getPort())) {
                    greedy.setReceiveBufferSize(64 * 1024);
                    // 16 x 64 MiB = 1 GiB of replies asked for, none read.
                    greedy.getOutputStream().write("DATA 67108864\r\n".repeat(16).getBytes(StandardCharsets.US_ASCII));
                    // Waits for the fact the bound is about: the DATA is in flight and the server's memory has stopped
                    // growing (two readings half a second apart within 1 MiB), i.e. it holds the replies back.
                    long[] last = {-1};
                    await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).until(() -> {
                        Map<String, String> now = control.info();
                        long rss = Long.parseLong(now.get("rss_bytes"));
                        boolean settled = Long.parseLong(now.get("requests_in_flight")) >= 1 && last[0] >= 0
                                && Math.abs(rss - last[0]) < 1024 * 1024;
                        last[0] = rss;
                        return settled;
                    });
                    Map<String, String> during = control.info();
                    long grownMiB = (Long.parseLong(during.get("rss_bytes")) - rssBefore) / (1024 * 1024);
                    // The bound: one DATA chunk in flight plus socket buffers, far below one 64 MiB reply.
                    assertThat(grownMiB).as("RSS growth in MiB while the greedy client does not read").isLessThan(48);
                    try (RespClient other = new RespClient(address)) {
                        assertThat(other.call("ECHO", "still here")).isEqualTo("$10\r\nstill here\r\n");
                    }
                }
                await().atMost(SETTLE).until(() -> Integer.parseInt(control.info().get("connected_clients")) == 1);
            }
            assertQuietLog(server);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "THREADS_VIRTUAL", "nio"})
    void slowlorisConnectionsDoNotSlowOthersAndTheIdleTimeoutClosesThem(ModelUnderTest model) throws Exception {
        try (ServerProcess server = start(model, "--idle-timeout", "3s")) {
            InetSocketAddress address = server.address();
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 2000; i++) {
                    Socket s = new Socket(address.getAddress(), address.getPort());
                    s.getOutputStream().write("*2\r\n$5\r\nSLE".getBytes(StandardCharsets.US_ASCII));
                    stalled.add(s);
                }
                await().atMost(SETTLE).until(() -> info(address, "connected_clients") >= 2001);
                try (RespClient other = new RespClient(address)) {
                    long start = System.nanoTime();
                    assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
                    // A generous bound: the point is that it is answered at once, not after the stalled ones.
                    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
                }
                await().atMost(SETTLE).until(() -> info(address, "connected_clients") <= 1);
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
            assertQuietLog(server);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "NETTY_NIO", "THREADS_PLATFORM", "nio"})
    void withFewFileDescriptorsTheServerRefusesTheExcessAndRecovers(ModelUnderTest model) throws Exception {
        model.assumeAvailable();
        List<String> wrapper = List.of("sh", "-c", "ulimit -n 256 && exec \"$@\"", "sh");
        try (ServerProcess server = ServerProcess.start(new ArrayList<>(model.cliArgs()), wrapper)) {
            InetSocketAddress address = server.address();
            List<RespClient> clients = new ArrayList<>();
            int served = 0;
            int refused = 0;
            try {
                for (int i = 0; i < 300; i++) {
                    RespClient c = new RespClient(address);
                    clients.add(c);
                    String reply = c.call("PING");
                    if (reply.equals("+PONG\r\n")) {
                        served++;
                    } else {
                        assertThat(reply).isEqualTo("-ERR max number of clients reached\r\n");
                        refused++;
                    }
                }
                assertThat(served).as("served within 256 files less headroom").isBetween(100, 256);
                assertThat(refused).isEqualTo(300 - served);
            } finally {
                for (RespClient c : clients) {
                    c.close();
                }
            }
            long refusedCount = refused;
            await().atMost(SETTLE).untilAsserted(() -> {
                try (RespClient again = new RespClient(address)) {
                    Map<String, String> info = again.info();
                    assertThat(info).containsEntry("connected_clients", "1");
                    assertThat(Long.parseLong(info.get("rejected_connections"))).isEqualTo(refusedCount);
                }
            });
            assertQuietLog(server);
        }
    }

    /**
     * Backend connections take files too: with 256 open files and every client holding a FETCH (a backend socket
     * each), a newcomer still gets an answer, the max-clients error once the files are taken, and the log stays quiet.
     */
    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "THREADS_PLATFORM", "nio"})
    void backendConnectionsCountAgainstTheFilesANewcomerIsAnsweredWithTheMaxClientsError(ModelUnderTest model) throws Exception {
        model.assumeAvailable();
        dev.netplay.server.netty.NettyServer backend = new dev.netplay.server.netty.NettyServer(
                new InetSocketAddress("127.0.0.1", 0), dev.netplay.server.netty.Transport.AUTO, 1, false, 10_000);
        backend.start();
        List<String> wrapper = List.of("sh", "-c", "ulimit -n 256 && exec \"$@\"", "sh");
        List<String> args = new ArrayList<>(model.cliArgs());
        args.addAll(List.of("--backend", "127.0.0.1:" + backend.address().getPort()));
        List<RespClient> clients = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(args, wrapper)) {
            int refused = 0;
            int holding = 0;
            for (int i = 0; i < 200; i++) {
                RespClient c = new RespClient(server.address());
                clients.add(c);
                c.send(RespClient.multibulk("FETCH", "20000"));
                int calls = holding + 1;
                // refused at once, or its call holds a backend socket (the backend counts it as a client)
                await().atMost(SETTLE).until(() -> c.hasBytesWaiting() || backend.stats().connectedClients() >= calls);
                if (c.hasBytesWaiting()) {
                    assertThat(c.readReply()).isEqualTo("-ERR max number of clients reached\r\n");
                    refused++;
                } else {
                    holding++;
                }
            }
            assertThat(refused).as("newcomers refused once clients and backend sockets took the files").isPositive();
            try (RespClient newcomer = new RespClient(server.address())) {
                assertThat(newcomer.call("PING")).isEqualTo("-ERR max number of clients reached\r\n");
            }
            assertQuietLog(server);
        } finally {
            for (RespClient c : clients) {
                c.close();
            }
            backend.stop(Duration.ZERO);
        }
    }
}
