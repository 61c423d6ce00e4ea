package dev.netplay.client;

import dev.netplay.client.merge.RunMerge;
import dev.netplay.client.report.Report;
import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.ResultsFiles;
import dev.netplay.client.results.RunResult;
import dev.netplay.server.core.ServerGuards;
import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;
import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.NetworkNamespaces;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Load from several hosts, for real: three network namespaces on a bridge made for the test are the hosts; pdsh's
 * exec module starts one load client in each ({@code ip netns exec %h ...}), all with one {@code --start-at}, against
 * one server on the bridge's address (with a password, as a server off loopback needs); then {@code client merge}.
 * Only the addresses the test made are targeted; the namespaces, the bridge and every process go at the end, also on
 * a failure.
 */
@Tag("full") // a minute of load: mvn -B verify -Pfull
class DistributedLoadTest {
    private static final int HOSTS = 3;
    private static final int CONNECTIONS_PER_HOST = 3_000;
    private static final int SLEEP_MS = 1_000;
    private static final String PASSWORD = "netns-secret";
    /** The start is this far ahead: three client JVMs start and connect their samplers before it. */
    private static final Duration LEAD = Duration.ofSeconds(25);
    private static final long RUN_TIMEOUT_SECONDS = 180;
    /** The schedule's own tolerance: measured, the windows opened 1.0–19.8 ms after their instant (BENCHMARKS section 12). */
    private static final Duration START_TOLERANCE = Duration.ofMillis(250);
    @TempDir
    Path dir;

    @Test
    void threeHostsStartInStepAndTheirMergeAddsUpExactly() throws Exception {
        String reason = NetworkNamespaces.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        Assumptions.assumeTrue(NetworkNamespaces.run(List.of("sh", "-c", "command -v pdsh")).exit() == 0, "no pdsh");
        try (NetworkNamespaces hosts = NetworkNamespaces.create(HOSTS)) {
            ServerConfig c = ServerConfig.of(new InetSocketAddress(hosts.serverAddress(), 0), 12_000);
            Server server = ModelUnderTest.NETTY_EPOLL.start(new ServerConfig(c.address(), c.maxConnections(), c.idleTimeout(),
                    c.maxClientMemoryBytes(), ServerGuards.DEFAULTS.withRequirePass(PASSWORD)));
            try {
                run(hosts, server);
            } finally {
                server.stop(Duration.ZERO);
            }
        }
    }

    private void run(NetworkNamespaces hosts, Server server) throws Exception {
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        Instant startAt = Instant.now().plus(LEAD).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String target = "netty=" + hosts.serverAddress().getHostAddress() + ":" + server.address().getPort();
        // one script per host, as a cluster shell runs one command line on each: its host name is its only argument
        Path script = dir.resolve("client-on-host.sh");
        Files.writeString(script, String.join("\n", "#!/bin/sh", "set -e",
                "exec ip netns exec \"$1\" '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -Xmx1g"
                        + " -cp '" + System.getProperty("java.class.path") + "' dev.netplay.client.ClientMain sweep"
                        + " --target " + target + " --connections " + CONNECTIONS_PER_HOST + " --request 'SLEEP " + SLEEP_MS + "'"
                        + " --warmup 3s --duration 10s --password file:" + passwordFile + " --start-at " + startAt
                        + " --host-id \"$1\" --raw-latencies '" + dir + "'/\"$1\".raw --out '" + dir + "'/\"$1\"", ""));
        List<String> pdsh = new ArrayList<>(List.of("pdsh", "-R", "exec", "-w", String.join(",", hosts.names()),
                "sh", script.toString(), "%h"));
        Process p = new ProcessBuilder(pdsh).redirectErrorStream(true).redirectOutput(dir.resolve("pdsh.out").toFile()).start();
        try {
            assertThat(p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("pdsh finished").isTrue();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = Files.readString(dir.resolve("pdsh.out"));
        assertThat(p.exitValue()).as(output).isZero();

        List<Path> runs = hosts.names().stream().map(dir::resolve).toList();
        long mergeStart = System.nanoTime();
        RunResult merged = RunMerge.merge(RunMerge.read(runs), dir.resolve("merged"), "client merge");
        double mergeSeconds = (System.nanoTime() - mergeStart) / 1e9;
        LevelResult level = merged.targets().get(0).levels().get(0);
        List<LevelResult> each = new ArrayList<>();
        for (Path run : runs) {
            each.add(ResultsFiles.read(run).targets().get(0).levels().get(0));
        }
        System.out.printf("merged %d hosts in %.2f s; %s%n", HOSTS, mergeSeconds, summary(level, each));

        assertThat(level.connections()).isEqualTo(HOSTS * CONNECTIONS_PER_HOST);
        assertThat(level.requests()).isEqualTo(each.stream().mapToLong(LevelResult::requests).sum());
        assertThat(level.throughputRps()).isCloseTo(each.stream().mapToDouble(LevelResult::throughputRps).sum(), within(0.01));
        assertThat(level.errors()).isEqualTo(each.stream().mapToLong(LevelResult::errors).sum()).isZero();
        assertThat(level.throughputRps()).as("99% of C/D = 9,000/s").isGreaterThanOrEqualTo(0.99 * HOSTS * CONNECTIONS_PER_HOST
                * 1000.0 / SLEEP_MS);
        assertThat(level.latency().count()).isEqualTo(each.stream().mapToLong(l -> l.latency().count()).sum());
        assertThat(level.latency().maxMs()).isEqualTo(each.stream().mapToDouble(l -> l.latency().maxMs()).max().orElseThrow());
        assertThat(level.note()).as("the server's own count agrees, the windows overlap, no host fell behind").isNull();
        for (LevelResult l : each) {
            assertThat(l.schedule().behind()).as("host window late by %s ms", l.schedule().lateMs()).isFalse();
        }
        List<Instant> opened = each.stream().map(l -> Instant.parse(l.schedule().measureStart())).sorted().toList();
        assertThat(Duration.between(opened.get(0), opened.get(HOSTS - 1))).as("the hosts' windows opened together")
                .isLessThan(START_TOLERANCE);
        Histogram pooled = new Histogram(3);
        for (String host : hosts.names()) {
            for (String line : Files.readAllLines(dir.resolve(host + ".raw"), StandardCharsets.US_ASCII)) {
                if (!line.startsWith("#")) {
                    pooled.recordValue(Long.parseLong(line));
                }
            }
        }
        // the raw samples switch with the recorders' cuts, so a sample at a window's very edge may fall on either side
        assertThat((double) pooled.getTotalCount()).as("the raw latencies re-recorded")
                .isCloseTo(level.latency().count(), within(level.latency().count() * 0.005));
        double pooledP99 = pooled.getValueAtPercentile(99) / 1e6;
        assertThat(level.latency().p99Ms()).as("within HdrHistogram's precision (3 digits) of all samples pooled")
                .isCloseTo(pooledP99, within(pooledP99 * 1e-3 + 1e-3));

        Path report = Report.write(List.of(merged), List.of(dir.resolve("merged")), dir.resolve("merged"));
        assertThat(Files.readString(report)).contains("Each host's part").contains(hosts.names().get(0));
    }

    private static String summary(LevelResult merged, List<LevelResult> each) {
        StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "merged %.1f req/s, p99 %.2f ms; hosts:",
                merged.throughputRps(), merged.latency().p99Ms()));
        for (LevelResult l : each) {
            s.append(String.format(java.util.Locale.ROOT, " [%.1f req/s, window opened %.1f ms late]", l.throughputRps(),
                    l.schedule().lateMs()));
        }
        return s.toString();
    }
}
