package dev.netplay.server;

import dev.netplay.server.netty.NettyServer;
import dev.netplay.server.netty.Transport;
import dev.netplay.server.testing.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Python servers (python/netplay_py) answer the differential corpus byte for byte as netty does, for every stream
 * made of the commands they implement (all but FETCH and GATHER: they have no backend), and bound what they read by the
 * same limits (python/netplay_py/limits.py, checked against Limits).
 */
class PythonServersDifferentialTest {
    private static final Path PYTHON_DIR = Path.of("..", "python");
    private static final Pattern LISTENING = Pattern.compile(" listening on [^ ]+:(\\d+) ");
    private static final Duration START_WAIT = Duration.ofSeconds(20);
    /** The streams that call a backend: the Python servers have none, and say the command is unknown. */
    private static final List<String> BACKEND_STREAMS = List.of("backend calls", "backend calls pipelined");

    private static NettyServer netty;

    @BeforeAll
    static void startNetty() throws Exception {
        netty = new NettyServer(new InetSocketAddress("127.0.0.1", 0), Transport.AUTO, 1, false, 1_000);
        netty.start();
    }

    @AfterAll
    static void stopNetty() {
        netty.stop(Duration.ZERO);
    }

    /** A Python server started on a free port, stopped (TERM, then KILL) by its PID when closed. */
    record PythonServer(Process process, int port) implements AutoCloseable {
        static PythonServer start(String module) throws Exception {
            assumeTrue(Files.isDirectory(PYTHON_DIR), "the python folder is beside the modules");
            Process p = new ProcessBuilder("python3", "-m", module, "--port", "0").directory(PYTHON_DIR.toFile())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    return null;
                }
            }).get(START_WAIT.toSeconds(), TimeUnit.SECONDS);
            Matcher m = line == null ? null : LISTENING.matcher(line);
            if (m == null || !m.find()) {
                p.destroyForcibly();
                throw new AssertionError(module + " did not say it was listening; it said: " + line);
            }
            return new PythonServer(p, Integer.parseInt(m.group(1)));
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", port);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void thePythonServersBoundWhatTheyReadAsLimitsSays() throws Exception {
        assumeTrue(Files.isDirectory(PYTHON_DIR), "the python folder is beside the modules");
        Process p = new ProcessBuilder("python3", "-c", "import netplay_py.limits as l; "
                + "[print(k, v) for k, v in vars(l).items() if k.isupper()]")
                .directory(PYTHON_DIR.toFile()).redirectErrorStream(true).start();
        List<String> printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().lines().toList();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(printed).as("python's limits").hasSizeGreaterThanOrEqualTo(8);
        for (String limit : printed) {
            String[] nameValue = limit.split(" ");
            Object java = dev.netplay.common.limits.Limits.class.getField(nameValue[0]).get(null);
            assertThat(Long.parseLong(nameValue[1])).as(nameValue[0]).isEqualTo(((Number) java).longValue());
        }
    }

    private static String replies(InetSocketAddress address, List<String> pieces) throws Exception {
        try (RespClient client = new RespClient(address)) {
            for (String piece : pieces) {
                client.send(piece);
            }
            return DifferentialTest.sameIds(new String(client.finishAndReadAll(), StandardCharsets.ISO_8859_1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"netplay_py.asyncio_server", "netplay_py.threads_server"})
    void aPythonServerAnswersEveryStreamOfItsCommandsWithNettysBytes(String module) throws Exception {
        try (PythonServer python = PythonServer.start(module)) {
            int compared = 0;
            for (Map.Entry<String, List<String>> stream : DifferentialTest.corpus().entrySet()) {
                if (BACKEND_STREAMS.contains(stream.getKey())) {
                    continue;
                }
                String reference = replies(netty.address(), stream.getValue());
                assertThat(replies(python.address(), stream.getValue())).as("%s on stream '%s'", module, stream.getKey())
                        .isEqualTo(reference);
                compared++;
            }
            assertThat(compared).as("the corpus's streams compared").isGreaterThanOrEqualTo(20);
            assertThat(python.process().isAlive()).as("the server serves on after every stream").isTrue();
        }
    }
}
