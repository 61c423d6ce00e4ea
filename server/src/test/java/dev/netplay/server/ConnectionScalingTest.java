package dev.netplay.server;

import org.junit.jupiter.api.Tag;
import dev.netplay.server.testing.RespClient;
import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.ServerProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 2000 connections each sleeping 500 ms, against each model as its own process (so INFO's thread count is the
 * model's alone): all complete, and the thread count shows what each model costs.
 */
@Tag("full") // a long test: mvn -B verify -Pfull
class ConnectionScalingTest {
    private static final int CONNECTIONS = 2000;
    /** JVM threads besides the model's own (GC, JIT, signal, reference handling, ...) that may come and go. */
    private static final int HANDFUL = 8;

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void twoThousandSleepingConnectionsAllComplete(ModelUnderTest model) throws Exception {
        model.assumeAvailable();
        List<String> args = new ArrayList<>(model.cliArgs()); // the netty variants' lines carry --io-threads already
        try (ServerProcess server = ServerProcess.start(args)) {
            InetSocketAddress address = server.address();
            List<RespClient> clients = new ArrayList<>(CONNECTIONS);
            // Connected first, so that it holds a thread even of a full pool.
            try (RespClient control = new RespClient(address)) {
                int idleThreads = Integer.parseInt(control.info().get("threads_live"));
                for (int i = 0; i < CONNECTIONS; i++) {
                    clients.add(new RespClient(address).send("SLEEP 500\r\n"));
                }
                // Connects complete in the kernel's backlog before the server accepts them: wait for the accepts.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> Integer.parseInt(control.info().get("connected_clients")) == CONNECTIONS + 1);
                Map<String, String> loaded = control.info();
                int completed = 0;
                for (RespClient client : clients) {
                    assertThat(client.readReply()).isEqualTo("+OK\r\n");
                    completed++;
                    client.close(); // frees a pool thread for a waiting connection
                }
                assertThat(completed).isEqualTo(CONNECTIONS);
                int threads = Integer.parseInt(loaded.get("threads_live"));
                String name = model.name();
                if (name.startsWith("NETTY")) {
                    assertThat(threads).as("netty: its io threads plus a handful, whatever the connection count (idle: %d)", idleThreads)
                            .isLessThanOrEqualTo(idleThreads + ModelUnderTest.IO_THREADS + HANDFUL);
                } else if (name.equals("THREADS_PLATFORM")) {
                    assertThat(threads).as("a thread per connection").isGreaterThanOrEqualTo(CONNECTIONS);
                } else if (name.equals("THREADS_POOL")) {
                    assertThat(threads).as("the pool, not the connections")
                            .isBetween(ModelUnderTest.POOL_SIZE, idleThreads + ModelUnderTest.POOL_SIZE + HANDFUL);
                } else if (name.equals("THREADS_VIRTUAL")) {
                    assertThat(threads).as("carrier threads, not one per connection")
                            .isLessThan(idleThreads + Runtime.getRuntime().availableProcessors() + HANDFUL * 4);
                } else {
                    // A model of your own: every connection completed above; how many threads it used is its own idea.
                    assertThat(threads).as("%s reports its threads", name).isPositive();
                }
            } finally {
                for (RespClient client : clients) {
                    closeQuietly(client);
                }
            }
            assertThat(server.terminate(10)).as("SIGTERM exits 0").isZero();
        }
    }

    private static void closeQuietly(RespClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing after the test: nothing to report
        }
    }
}
