package dev.netplay.server;

import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.RespClient;
import dev.netplay.server.testing.ServerProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attack of round 4 at scale, bounded: for 10 s, up to 100 clients a second ask {@code GATHER 64 60000} and reset 20 ms
 * later, against a server process with a 256 MiB heap. Its calls in flight stay near what the clients still there
 * asked, it stays up, and a client still there gets every {@code FETCH 10} answered.
 */
@Tag("full") // a long test: mvn -B verify -Pfull
class DepartedClientsAtScaleTest {
    private static final int DEPARTURES_PER_SECOND = 100;
    private static final Duration ATTACK = Duration.ofSeconds(10);
    private static final byte[] GATHER = RespClient.multibulk("GATHER", "64", "60000").getBytes(StandardCharsets.US_ASCII);
    private static final int CALLS = 64;

    @ParameterizedTest
    @ValueSource(strings = {"NETTY_EPOLL", "nio", "THREADS_PLATFORM"})
    void departedClientsGathersEndAndNeitherTheHeapNorTheOthersSuffer(ModelUnderTest model) throws Exception {
        model.assumeAvailable();
        // The backend a process of its own: each cancelled call closes its backend connection, and the next call opens
        // one, so the backend sees the departures as connection churn (in the test's JVM it would share its files).
        List<String> args = new ArrayList<>(model.cliArgs());
        args.addAll(List.of("--backend-connections", "1000"));
        try (ServerProcess backend = ServerProcess.start(List.of("netty"));
             ServerProcess server = ServerProcess.start(withBackend(args, backend), List.of(), List.of("-Xmx256m"));
             RespClient live = new RespClient(server.address()); RespClient backendInfo = new RespClient(backend.address())) {
            ArrayDeque<Socket> leaving = new ArrayDeque<>();
            List<String> liveReplies = new ArrayList<>();
            int maxInFlight = 0;
            int maxBackendClients = 0;
            long end = System.nanoTime() + ATTACK.toNanos();
            long nextLive = System.nanoTime();
            int departures = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < DEPARTURES_PER_SECOND / 50; i++) {
                    Socket s = new Socket("127.0.0.1", server.address().getPort());
                    s.getOutputStream().write(GATHER);
                    leaving.add(s);
                    departures++;
                }
                Thread.sleep(20); // each client leaves about 20 ms after it asked
                while (leaving.size() > DEPARTURES_PER_SECOND / 50) {
                    Socket s = leaving.poll();
                    s.setSoLinger(true, 0);
                    s.close();
                }
                if (System.nanoTime() - nextLive > 0) {
                    liveReplies.add(live.call("FETCH", "10").strip());
                    Map<String, String> info = live.info();
                    maxInFlight = Math.max(maxInFlight, Integer.parseInt(info.get("backend_calls_in_flight")));
                    maxBackendClients = Math.max(maxBackendClients, Integer.parseInt(backendInfo.info().get("connected_clients")));
                    nextLive = System.nanoTime() + Duration.ofMillis(500).toNanos();
                }
            }
            for (Socket s : leaving) {
                s.setSoLinger(true, 0);
                s.close();
            }
            System.out.printf("%s: %d departures, at most %d backend calls in flight and %d backend connections, live "
                    + "FETCHes %s%n", model, departures, maxInFlight, maxBackendClients, liveReplies.stream().distinct().toList());
            assertThat(liveReplies).as("a client still there").isNotEmpty().allMatch("+OK"::equals);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(live.info()).containsEntry("backend_calls_in_flight", "0"));
            assertThat(server.isAlive()).as("the server, after %d departures with a 256 MiB heap", departures).isTrue();
            // the calls of at most ~3 s of departures (blocking code looks for its client within ~2 s)
            assertThat(maxInFlight).as("backend calls in flight at any sample").isLessThan(3 * DEPARTURES_PER_SECOND * CALLS);
            // a cancelled call resets its backend connection: closed gracefully, it read as a half-close to the backend,
            // which kept each one (and its SLEEP) for the minute: 16,179 at once here before
            assertThat(maxBackendClients).as("the backend's connections at any sample (the pool holds 1,000)").isLessThan(2_000);
        }
    }

    private static List<String> withBackend(List<String> args, ServerProcess backend) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--backend", "127.0.0.1:" + backend.address().getPort()));
        return all;
    }
}
