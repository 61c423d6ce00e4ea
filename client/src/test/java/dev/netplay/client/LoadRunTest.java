package dev.netplay.client;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netplay.common.cli.ExitCodes;
import dev.netplay.common.resp.RequestParser;
import dev.netplay.server.core.Server;
import dev.netplay.server.threads.BlockingServer;
import dev.netplay.server.core.ThreadMode;
import dev.netplay.server.testing.ModelUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Short load runs against in-process servers; every figure is read back from results.json. */
@Execution(ExecutionMode.CONCURRENT) // its tests mostly wait (for timeouts, a model each): side by side in the fast set
class LoadRunTest {
    @TempDir
    Path out;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private JsonNode run(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--out", out.toString()));
        LoadOptionsValidationTest.Outcome outcome = LoadOptionsValidationTest.client(all.toArray(String[]::new));
        assertThat(outcome.exit()).as(outcome.err()).isEqualTo(ExitCodes.OK);
        return new ObjectMapper().readTree(out.resolve("results.json").toFile());
    }

    private static String target(String name, Server server) {
        return name + "=127.0.0.1:" + server.address().getPort();
    }

    @Test
    void aShortLevelAgainstNettyReachesLittlesLawWithoutErrors() throws Exception {
        Server netty = ModelUnderTest.NETTY_NIO.start();
        toClose.add(netty);
        JsonNode results = run("run", "--target", target("netty", netty), "--connections", "200",
                "--request", "SLEEP 200", "--warmup", "1s", "--duration", "3s");
        JsonNode level = results.at("/targets/0/levels/0");
        // C / D = 200 / 0.2 s = 1000 req/s; a generous band, this is a test, not a benchmark.
        assertThat(level.get("idealRps").asDouble()).isEqualTo(1000.0);
        assertThat(level.get("throughputRps").asDouble()).isBetween(800.0, 1100.0);
        assertThat(level.get("errors").asLong()).isZero();
        assertThat(level.get("connectionsEstablished").asInt()).isEqualTo(200);
        assertThat(level.at("/latency/p50Ms").asDouble()).isBetween(200.0, 400.0);
        for (String field : List.of("connections", "connectsAttempted", "connectsFailed", "connectFailures", "connectP50Ms",
                "connectP99Ms", "windowSeconds", "requests", "achievedRatio", "latencyDistribution", "errorsByKind", "timeouts",
                "serverThreads", "serverRssBytes", "serverRssMib", "serverKibPerConnection", "serverConnectedClients",
                "clientCpuPercent", "hlog")) {
            assertThat(level.hasNonNull(field)).as("results.json field %s", field).isTrue();
        }
        for (String field : List.of("serverCpuUsPerRequest", "serverUserUsPerReq", "serverSysUsPerReq", "serverCpuPercent", "bound")) {
            assertThat(level.get("diagnosis").hasNonNull(field)).as("results.json diagnosis field %s", field).isTrue();
        }
        for (String field : List.of("p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs")) {
            assertThat(level.get("latency").get(field).asDouble()).as(field).isPositive();
        }
        for (String field : List.of("cores", "memoryBytes", "jvm", "os", "kernel", "openFileLimit")) {
            assertThat(results.get("machine").hasNonNull(field)).as("machine %s", field).isTrue();
        }
        assertThat(results.at("/parameters/request").asText()).isEqualTo("SLEEP 200");
        assertThat(results.at("/targets/0/server/server_model").asText()).isEqualTo("netty");
        assertThat(Files.readAllLines(out.resolve("results.csv")).get(0))
                .startsWith("target,connections,established,requests,throughput_rps,ideal_rps")
                .contains("p50_ms,p90_ms,p99_ms,p999_ms,max_ms,errors,timeouts", "server_threads,server_rss_mib",
                        "server_cpu_us_per_req");
        assertThat(Files.readString(out.resolve(level.get("hlog").asText()))).contains("#[StartTime:");
    }

    @Test
    void aMixIsDrawnByWeightAndItsPerRequestFiguresAddUpToTheTotals() throws Exception {
        Server netty = ModelUnderTest.NETTY_NIO.start();
        toClose.add(netty);
        JsonNode results = run("run", "--target", target("netty", netty), "--connections", "50",
                "--mix", "PING=90,SLEEP 100=10", "--warmup", "1s", "--duration", "3s");
        JsonNode level = results.at("/targets/0/levels/0");
        JsonNode ping = level.at("/byCommand/PING");
        JsonNode sleep = level.at("/byCommand/SLEEP 100");
        assertThat(level.get("errors").asLong()).isZero();
        assertThat(ping.get("requests").asLong() + sleep.get("requests").asLong()).as("the parts add up to the whole")
                .isEqualTo(level.get("requests").asLong());
        double pingShare = ping.get("requests").asDouble() / level.get("requests").asDouble();
        assertThat(pingShare).as("drawn 90:10").isBetween(0.85, 0.95);
        assertThat(ping.at("/latency/p50Ms").asDouble()).as("a PING waits for no SLEEP").isLessThan(sleep.at("/latency/p50Ms").asDouble());
        assertThat(sleep.at("/latency/p50Ms").asDouble()).isGreaterThanOrEqualTo(100.0);
        assertThat(level.get("idealRps").asDouble()).as("Little's law over the mean duration, 50 / 10 ms").isEqualTo(5000.0);
        assertThat(results.at("/parameters/request").asText()).isEqualTo("PING=90,SLEEP 100=10");
        assertThat(Files.readAllLines(out.resolve("results-by-command.csv"))).hasSize(3)
                .first().asString().startsWith("target,connections,request,requests,throughput_rps,p50_ms");
    }

    @Test
    void aBlockedEventLoopCannotStretchTheMeasuredWindow() throws Exception {
        // One event loop that sleeps in place serves at most 1 / D requests per second, and answers INFO late.
        Server blocking = new dev.netplay.server.netty.NettyServer(new InetSocketAddress("127.0.0.1", 0),
                dev.netplay.server.netty.Transport.NIO, 1, true, 1000);
        blocking.start();
        toClose.add(blocking);
        JsonNode level = run("run", "--target", target("blocking", blocking), "--connections", "10",
                "--request", "SLEEP 100", "--warmup", "1s", "--duration", "3s").at("/targets/0/levels/0");
        assertThat(level.get("throughputRps").asDouble()).isBetween(5.0, 10.5);
    }

    @Test
    void connectionsStarvedByASmallPoolShowAsTimeouts() throws Exception {
        BlockingServer pool = new BlockingServer(new InetSocketAddress("127.0.0.1", 0), ThreadMode.POOL, 10, 1000);
        pool.start();
        toClose.add(pool);
        JsonNode level = run("run", "--target", target("pool10", pool), "--connections", "50", "--request", "SLEEP 100",
                "--timeout", "1s", "--warmup", "0s", "--duration", "3s").at("/targets/0/levels/0");
        assertThat(level.get("timeouts").asLong()).isPositive();
        assertThat(level.get("requests").asLong()).as("the pool's threads still served").isPositive();
    }

    @Test
    void aWrongReplyIsCaughtAsAnError() throws Exception {
        FakeServer fake = new FakeServer(1_000);
        toClose.add(fake);
        JsonNode level = run("run", "--target", "fake=127.0.0.1:" + fake.port(), "--connections", "1",
                "--request", "SLEEP 0", "--warmup", "0s", "--duration", "2s").at("/targets/0/levels/0");
        assertThat(level.at("/errorsByKind/wrong_reply").asLong()).isEqualTo(1);
        assertThat(level.get("requests").asLong()).isGreaterThan(3);
        assertThat(level.get("note").asText()).as("the first wrong reply quoted").contains("the first wrong reply: '+KO' to 'SLEEP 0'");
    }

    @Test
    void openModelRecordsCorrectedAndUncorrectedLatency() throws Exception {
        Server netty = ModelUnderTest.NETTY_NIO.start();
        toClose.add(netty);
        JsonNode level = run("run", "--target", target("netty", netty), "--connections", "20", "--rate", "200",
                "--request", "SLEEP 10", "--warmup", "1s", "--duration", "3s").at("/targets/0/levels/0");
        assertThat(level.get("throughputRps").asDouble()).isBetween(150.0, 250.0);
        assertThat(level.at("/uncorrected/p50Ms").asDouble()).isPositive();
        assertThat(level.at("/latency/p50Ms").asDouble()).isGreaterThanOrEqualTo(level.at("/uncorrected/p50Ms").asDouble());
    }

    private static final long DIE_AFTER_REQUESTS = 250;

    @Test
    void aServerThatDiesMidLevelIsReportedAndTheClientStillWritesItsResults() throws Exception {
        Server netty = ModelUnderTest.NETTY_NIO.start();
        // With no warm-up every request is measured: the server dies once it has served a few hundred of them
        // (50 connections x SLEEP 100: about half a second into the 4 s window), however long the start took.
        CompletableFuture<Void> killed = CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> netty.stats().commandsProcessed() >= DIE_AFTER_REQUESTS);
            netty.stop(Duration.ZERO);
        });
        JsonNode level = run("run", "--target", target("doomed", netty), "--connections", "50", "--request", "SLEEP 100",
                "--warmup", "0s", "--duration", "4s", "--connect-timeout", "1s").at("/targets/0/levels/0");
        killed.get(30, TimeUnit.SECONDS);
        assertThat(level.get("requests").asLong()).as("measured before it died").isGreaterThanOrEqualTo(DIE_AFTER_REQUESTS / 2);
        assertThat(level.get("errors").asLong() + level.get("connectsFailed").asLong()).isPositive();
        assertThat(level.get("note").asText()).contains("stopped answering");
    }

    /** Answers INFO with nothing, and SLEEP with +OK, except one wrong reply a second after the first request. */
    static final class FakeServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final AtomicInteger sleeps = new AtomicInteger();
        private final Thread acceptor;

        private volatile long firstRequestNanos;
        private final java.util.concurrent.atomic.AtomicBoolean wrongSent = new java.util.concurrent.atomic.AtomicBoolean();

        FakeServer(long wrongAfterMillis) throws IOException {
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        Thread t = new Thread(() -> serve(s, wrongAfterMillis));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(Socket s, long wrongAfterMillis) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                RequestParser parser = new RequestParser();
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) > 0) {
                    int off = 0;
                    while (off < n) {
                        off += parser.feed(buf, off, n - off);
                        List<byte[]> request = parser.poll();
                        if (request == null) {
                            continue;
                        }
                        String name = new String(request.get(0), StandardCharsets.US_ASCII);
                        if (name.equalsIgnoreCase("INFO")) {
                            out.write("$0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        } else {
                            if (sleeps.incrementAndGet() == 1) {
                                firstRequestNanos = System.nanoTime();
                            }
                            boolean wrong = System.nanoTime() - firstRequestNanos > TimeUnit.MILLISECONDS.toNanos(wrongAfterMillis)
                                    && wrongSent.compareAndSet(false, true);
                            out.write((wrong ? "+KO\r\n" : "+OK\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    out.flush();
                }
            } catch (Exception e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
