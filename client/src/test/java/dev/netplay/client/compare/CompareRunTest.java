package dev.netplay.client.compare;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short compare, run as scripts/compare runs it: its own process (it pins itself to the client's CPUs, which must
 * not pin this test JVM), servers started from the server module's jar.
 */
@Tag("full") // a long test: mvn -B verify -Pfull
class CompareRunTest {
    private static final Path SERVER_JAR = Path.of("../server/target/netplay-server.jar");
    private static final long RUN_TIMEOUT_SECONDS = 180;
    static final List<String> DIAGNOSIS_COLUMNS = List.of("server_cpus", "client_cpus", "machine_cpu_pct", "client_cpu_pct",
            "server_cpu_pct", "bound", "server_user_us_per_req", "server_sys_us_per_req", "gc_pause_ms_per_s", "gc_max_pause_ms",
            "live_heap_kib_per_conn", "ctx_switches_per_req", "runqueue_wait_us_per_req", "sleep_overshoot_p50_ms",
            "sleep_overshoot_p99_ms", "steal_pct", "other_cpu_pct", "client_lag_p50_ms", "client_lag_p99_ms", "probe_p50_ms",
            "probe_p99_ms", "sent_rps");
    static final List<String> BOUNDS = List.of("none", "server-cpu", "client-cpu", "client-lag", "machine");

    @TempDir
    Path dir;

    private String compare(Map<String, String> env, String... args) throws IOException, InterruptedException {
        assertThat(SERVER_JAR).as("the server module's jar (mvn package builds it before the client's tests)").isRegularFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.netplay.client.ClientMain", "compare",
                "--server-jar", SERVER_JAR.toString(), "--out", dir.toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("compare.out").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertThat(p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("compare finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String output = Files.readString(dir.resolve("compare.out"));
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    private List<Map<String, String>> csv() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        List<String> header = split(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = split(line);
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), i < cells.size() ? cells.get(i) : "");
            }
            rows.add(row);
        }
        return rows;
    }

    /** Splits a CSV line; quoted cells (CPU lists such as "0-1") keep their commas. */
    private static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    @Test
    void aPinnedCompareFillsEveryDiagnosisColumnForEveryServer() throws Exception {
        compare(Map.of(), "--levels", "10,40", "--sleep", "100ms", "--warmup", "1s", "--duration", "2s",
                "--models", "netty,threads-platform");
        List<Map<String, String>> rows = csv();
        assertThat(rows).hasSize(4);
        for (Map<String, String> row : rows) {
            for (String column : DIAGNOSIS_COLUMNS) {
                assertThat(row.get(column)).as(row.get("target") + " " + row.get("connections") + " " + column).isNotEmpty();
            }
            assertThat(row.get("server_cpus")).isEqualTo("1");
            assertThat(row.get("client_cpus")).isEqualTo("0");
            assertThat(row.get("bound")).isIn(BOUNDS);
        }
        assertThat(Files.readString(dir.resolve("results.json"))).as("the machine's cores, not the pinned client's")
                .contains("\"cores\" : " + Runtime.getRuntime().availableProcessors());
        String report = Files.readString(dir.resolve("report.html"));
        assertThat(report).contains("CPUs pinned with taskset: every server on CPU 1, the load client on CPU 0",
                "taskset -c 1 ", "-Xms1g -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError", "Why: netty at 40");
        for (String chart : List.of("ctxswitch", "runqueue", "gc", "live", "cpu-split")) {
            assertThat(dir.resolve(chart + ".png")).isNotEmptyFile();
        }
    }

    /**
     * Other servers beside a model: redis-server with its own slow request, and the notebook's asyncio program in
     * Python, each started on the server CPUs, read from /proc like the model, and named in the report.
     */
    @Test
    void otherServersStandOnTheSameGraphsWithTheirProcessFiguresFromTheKernel() throws Exception {
        String output = compare(Map.of(), "--levels", "20,100", "--sleep", "200ms", "--warmup", "1s", "--duration", "2s",
                "--repeat", "1", "--models", "netty", "--target", "redis", "--target", "py-asyncio",
                "--target", "broken=sh -c 'exit 4' {port}");
        assertThat(output).contains("target broken exited at once with code 4");
        List<Map<String, String>> rows = csv();
        assertThat(rows).extracting(r -> r.get("target")).containsExactly("netty", "netty", "redis", "redis", "py-asyncio",
                "py-asyncio");
        for (Map<String, String> row : rows) {
            String where = row.get("target") + " " + row.get("connections");
            assertThat(Double.parseDouble(row.get("achieved_ratio"))).as(where).isGreaterThan(0.8);
            assertThat(row.get("errors")).as(where).isEqualTo("0");
            for (String column : List.of("server_cpu_us_per_req", "server_rss_mib", "server_threads", "ctx_switches_per_req",
                    "runqueue_wait_us_per_req", "server_cpu_pct", "bound")) {
                assertThat(row.get(column)).as(where + " " + column).isNotEmpty();
            }
        }
        assertThat(rows.get(2).get("live_heap_kib_per_conn")).as("a JVM figure: none for redis-server").isEmpty();
        String json = Files.readString(dir.resolve("results.json"));
        assertThat(json).contains("\"processSource\" : \"proc\"", "BLPOP netplay:nothing 0.2");
        assertThat(dir.resolve("server-redis.log")).exists();
        String report = Files.readString(dir.resolve("report.html"));
        assertThat(report).contains("redis", "py-asyncio", "target broken exited at once with code 4");
    }

    /**
     * compare --profile: a flame graph per model and level (async-profiler on the JVM models, perf on redis-server),
     * where each server's CPU went in results.csv, and the flame graphs in report.html.
     */
    @Test
    void aProfiledCompareWritesAFlameGraphPerModelAndLevelAndWhereTheCpuWent() throws Exception {
        compare(Map.of(), "--levels", "20,200", "--sleep", "100ms", "--warmup", "1s", "--duration", "2s",
                "--repeat", "1", "--models", "netty,threads-platform", "--target", "redis", "--profile");
        List<Map<String, String>> rows = csv();
        assertThat(rows).extracting(r -> r.get("target")).containsExactly("netty", "netty", "threads-platform",
                "threads-platform", "redis", "redis");
        for (Map<String, String> row : rows) {
            String name = row.get("target") + "-" + row.get("connections");
            assertThat(dir.resolve("profiles/" + name + ".cpu.collapsed")).as(name).isNotEmptyFile();
            assertThat(dir.resolve("profiles/" + name + ".cpu.html")).as(name).isNotEmptyFile();
            assertThat(row.get("profile_engine")).as(name).isIn("cpu", "itimer", "perf");
            assertThat(row.get("profile_network_pct")).as(name + ": the kernel's frames seen").isNotEmpty();
            assertThat(row.get("profile_scheduler_pct")).as(name).isNotEmpty();
            if (!row.get("target").equals("redis")) {
                assertThat(dir.resolve("profiles/" + name + ".wall.collapsed")).as(name).isNotEmptyFile();
                assertThat(row.get("profile_netplay_pct")).as(name).isNotEmpty();
            } else {
                assertThat(row.get("profile_netplay_pct")).as("perf sees no Java frames").isEmpty();
            }
        }
        String report = Files.readString(dir.resolve("report.html"));
        assertThat(report).contains("id=\"netplay-flames\"", "Where the server's time goes: flame graphs");
    }

    /**
     * Repeats and the knee: the sweeps interleaved, each level the median of its repeats with every repeat kept, the
     * probe's figures for every model, and the pool model's knee found between the levels where it held and bent.
     */
    @Test
    void aRepeatedCompareInterleavesItsSweepsKeepsEveryRepeatAndFindsTheKnee() throws Exception {
        String output = compare(Map.of(), "--levels", "100,1000", "--sleep", "1s", "--warmup", "1s", "--duration", "3s",
                "--models", "netty,threads-pool", "--pool-size", "150", "--repeat", "2", "--repeat-all", "--knee");
        List<String> order = output.lines().filter(l -> l.contains("(repeat ") && l.contains(": pid "))
                .map(l -> l.substring(0, l.indexOf(": pid "))).toList();
        assertThat(order).startsWith("netty (repeat 1 of 2)", "threads-pool (repeat 1 of 2)", "netty (repeat 2 of 2)",
                "threads-pool (repeat 2 of 2)");
        List<Map<String, String>> rows = csv();
        assertThat(rows).hasSize(4);
        for (Map<String, String> row : rows) {
            String where = row.get("target") + " " + row.get("connections");
            assertThat(row.get("repeats")).as(where).isEqualTo("2");
            assertThat(row.get("achieved_min")).as(where).isNotEmpty();
            assertThat(Long.parseLong(row.get("probe_timeouts"))).as(where).isGreaterThanOrEqualTo(0);
            assertThat(row.get("probe_p99_ms")).as(where + ": the probe's PINGs were answered").isNotEmpty();
        }
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("results.json").toFile());
        for (com.fasterxml.jackson.databind.JsonNode target : json.get("targets")) {
            for (com.fasterxml.jackson.databind.JsonNode level : target.get("levels")) {
                assertThat(level.get("repeats")).hasSize(2);
                assertThat(level.get("repeats").get(1).get("repeat").asInt()).isEqualTo(2);
                assertThat(level.get("probe").get("sent").asLong()).as("a PING every 100 ms over 3 s").isGreaterThan(10);
            }
        }
        assertThat(dir.resolve("netty-1000-r2.hlog")).isNotEmptyFile();
        com.fasterxml.jackson.databind.JsonNode pool = json.get("targets").get(1).get("knee");
        assertThat(pool.get("connections").asInt()).as("150 threads hold 100 connections, not 550 or 1000").isEqualTo(100);
        assertThat(pool.get("probes").get(0).get("connections").asInt()).isEqualTo(550);
        assertThat(json.get("targets").get(0).get("knee").isObject()).as("netty's knee searched too").isTrue();
        assertThat(Files.readString(dir.resolve("report.html"))).contains("Knees: the most connections", "threads-pool holds 100");
        assertThat(dir.resolve("knees.png")).isNotEmptyFile();
    }

    /** FETCH: compare starts a backend, every model calls it, and each level has the backend's figures beside it. */
    @Test
    void aFetchCompareStartsABackendAndReportsItBesideEachLevel() throws Exception {
        String output = compare(Map.of(), "--levels", "10,40", "--request", "FETCH 100", "--warmup", "1s", "--duration", "2s",
                "--models", "netty,threads-platform", "--gather", "parallel", "--repeat", "1");
        assertThat(output).contains("backend: netty, pid ");
        List<Map<String, String>> rows = csv();
        assertThat(rows).hasSize(4);
        for (Map<String, String> row : rows) {
            String where = row.get("target") + " " + row.get("connections");
            assertThat(row.get("errors")).as(where).isEqualTo("0");
            assertThat(Double.parseDouble(row.get("backend_calls_rps"))).as(where + ": the backend's calls/s, about C / D")
                    .isGreaterThan(Integer.parseInt(row.get("connections")) * 10 * 0.5);
            assertThat(row.get("backend_cpu_percent")).as(where).isNotEmpty();
            assertThat(Long.parseLong(row.get("backend_connections"))).as(where + ": one backend connection per call")
                    .isGreaterThanOrEqualTo(Integer.parseInt(row.get("connections")));
        }
        String report = Files.readString(dir.resolve("report.html"));
        assertThat(report).contains("The backend, per level", "backend: netplay's netty model",
                "on the client's CPUs 0", "backend during netty: ", "--backend 127.0.0.1:", "--gather parallel");
    }

    @Test
    void withoutTasksetItRunsUnpinnedAndTheReportSaysSo() throws Exception {
        Path emptyPath = Files.createDirectories(dir.resolve("no-taskset-here"));
        compare(Map.of("PATH", emptyPath.toString()), "--levels", "10", "--sleep", "100ms", "--warmup", "1s", "--duration", "1s",
                "--models", "netty", "--jfr", "--repeat", "1");
        assertThat(Files.readString(dir.resolve("report.html")))
                .contains("CPUs not pinned: 'taskset' (util-linux) was not found")
                .contains("server-netty.jfr");
        assertThat(dir.resolve("server-netty.jfr")).as("the flight recording, dumped as the server exited").isNotEmptyFile();
        assertThat(csv().get(0).get("bound")).isIn(BOUNDS);
    }

    @Test
    void withAPasswordEveryServerAsksForItAndTheLoadGivesItWithoutWritingIt() throws Exception {
        String secret = "compare-secret-7";
        compare(Map.of("NETPLAY_TEST_PASSWORD", secret), "--levels", "10", "--sleep", "100ms", "--warmup", "1s",
                "--duration", "1s", "--models", "netty,threads-platform", "--repeat", "1", "--no-pin",
                "--password", "env:NETPLAY_TEST_PASSWORD");
        for (Map<String, String> row : csv()) {
            assertThat(row.get("errors")).as("%s: every request answered, not -NOAUTH", row.get("target")).isEqualTo("0");
            assertThat(Double.parseDouble(row.get("throughput_rps"))).isPositive();
        }
        assertThat(Files.readString(dir.resolve("server-netty.log"))).contains("access=password").doesNotContain(secret);
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".jfr")).toList()) {
                assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(secret);
            }
        }
    }
}
