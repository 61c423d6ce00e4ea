package dev.netplay.server;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import dev.netplay.server.testing.RespClient;
import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.ServerProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SIGTERM with requests in flight: they complete within the grace period, new connections are refused, exit 0. */
@Execution(ExecutionMode.CONCURRENT) // its tests mostly wait (for timeouts, a model each): side by side in the fast set
class GracefulShutdownTest {
    private static int terminate(ServerProcess server) {
        try {
            return server.terminate(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** On every registered model: a leaked in-flight count would make the stop wait out its grace. */
    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void sigtermLetsRequestsInFlightFinishThenExitsZero(ModelUnderTest model) throws Exception {
        model.assumeAvailable();
        List<String> args = new ArrayList<>(model.cliArgs());
        args.addAll(List.of("--grace", "3s"));
        try (ServerProcess server = ServerProcess.start(args)) {
            InetSocketAddress address = server.address();
            List<RespClient> sleepers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sleepers.add(new RespClient(address).send("SLEEP 1000\r\n"));
            }
            try (RespClient control = new RespClient(address)) {
                // INFO is answered after the 20 SLEEPs were read, so they are in flight when SIGTERM lands.
                assertThat(control.info()).containsEntry("connected_clients", "21");
            }
            long start = System.nanoTime();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> terminate(server));
            try {
                for (RespClient sleeper : sleepers) {
                    assertThat(sleeper.readReply()).isEqualTo("+OK\r\n");
                }
                assertThat(exit.get(10, TimeUnit.SECONDS)).as("exit code after SIGTERM").isZero();
            } finally {
                for (RespClient sleeper : sleepers) {
                    sleeper.close();
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("within the grace period plus 2 s").isLessThan(3_000 + 2_000);
            assertThatThrownBy(() -> new RespClient(address).call("PING")).isInstanceOf(IOException.class);
        }
    }

    /**
     * netty-offload with more backlog than grace: every request is refused in words, none gets a bare EOF. (The exit
     * line that counts them is not checked here: the JDK may drop a child's last output when it exits mid-read.)
     */
    @org.junit.jupiter.api.Test
    void sigtermWithABacklogLongerThanTheGraceRefusesTheRestInWordsAndCountsThemAtExit() throws Exception {
        List<String> args = new ArrayList<>(ServerModels.named("netty-offload").serverArgs());
        args.addAll(List.of("--grace", "1s"));
        try (ServerProcess server = ServerProcess.start(args)) {
            InetSocketAddress address = server.address();
            List<RespClient> sleepers = new ArrayList<>();
            for (int i = 0; i < 100; i++) { // 64 asleep on the offload threads, 36 queued: 10 s of work, 1 s of grace
                sleepers.add(new RespClient(address).send("SLEEP 10000\r\n"));
            }
            try (RespClient control = new RespClient(address)) {
                // Every SLEEP read on its own loop, the 64 asleep and the 36 queued: in flight (the INFO counts itself).
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> "101".equals(control.info().get("requests_in_flight")));
            }
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> terminate(server));
            try {
                for (RespClient sleeper : sleepers) {
                    assertThat(new String(sleeper.readAll(), java.nio.charset.StandardCharsets.US_ASCII))
                            .as("no bare EOF").isEqualTo("-ERR server is shutting down\r\n");
                }
                assertThat(exit.get(10, TimeUnit.SECONDS)).as("exit code after SIGTERM").isZero();
            } finally {
                for (RespClient sleeper : sleepers) {
                    sleeper.close();
                }
            }
        }
    }
}
