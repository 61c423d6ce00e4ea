package dev.netplay.client.results;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** results.json (every figure) and results.csv (one row per target and level): written, and read back. */
public final class ResultsFiles {
    public static final String JSON = "results.json";
    public static final String CSV = "results.csv";
    static final List<String> CSV_COLUMNS = List.of("target", "connections", "established", "requests", "throughput_rps",
            "ideal_rps", "achieved_ratio", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms", "errors", "timeouts",
            "connect_failures", "server_threads", "server_rss_mib", "server_kib_per_connection", "server_cpu_us_per_req",
            "server_cpu_percent", "client_cpu_percent",
            "server_cpus", "client_cpus", "machine_cpu_pct", "client_cpu_pct", "server_cpu_pct", "bound",
            "server_user_us_per_req", "server_sys_us_per_req", "gc_pause_ms_per_s", "gc_max_pause_ms",
            "live_heap_kib_per_conn", "ctx_switches_per_req", "runqueue_wait_us_per_req",
            "sleep_overshoot_p50_ms", "sleep_overshoot_p99_ms",
            "backend_calls_rps", "backend_cpu_percent", "backend_cpu_us_per_call", "backend_connections",
            "backend_sleep_late_p99_ms");

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ResultsFiles() {
    }

    public static void write(RunResult run, Path dir) throws IOException {
        Files.createDirectories(dir);
        MAPPER.writeValue(dir.resolve(JSON).toFile(), run);
        try (Writer csv = Files.newBufferedWriter(dir.resolve(CSV))) {
            csv.write(String.join(",", CSV_COLUMNS) + "\n");
            for (TargetResult t : run.targets()) {
                for (LevelResult l : t.levels()) {
                    csv.write(csvRow(t.name(), l) + "\n");
                }
            }
        }
        if (run.targets().stream().flatMap(t -> t.levels().stream()).anyMatch(l -> l.byCommand() != null)) {
            writeByCommand(run, dir.resolve(CSV_BY_COMMAND));
        }
    }

    /** With {@code --mix}: one row per target, level and request. */
    public static final String CSV_BY_COMMAND = "results-by-command.csv";

    private static void writeByCommand(RunResult run, Path file) throws IOException {
        try (Writer csv = Files.newBufferedWriter(file)) {
            csv.write("target,connections,request,requests,throughput_rps,p50_ms,p90_ms,p99_ms,p999_ms,max_ms\n");
            for (TargetResult t : run.targets()) {
                for (LevelResult l : t.levels()) {
                    if (l.byCommand() == null) {
                        continue;
                    }
                    for (var c : l.byCommand().entrySet()) {
                        LevelResult.Latency lat = c.getValue().latency();
                        csv.write(String.join(",", t.name(), Integer.toString(l.connections()), "\"" + c.getKey() + "\"",
                                Long.toString(c.getValue().requests()), Double.toString(c.getValue().throughputRps()),
                                lat == null ? "" : Double.toString(lat.p50Ms()), lat == null ? "" : Double.toString(lat.p90Ms()),
                                lat == null ? "" : Double.toString(lat.p99Ms()), lat == null ? "" : Double.toString(lat.p999Ms()),
                                lat == null ? "" : Double.toString(lat.maxMs())) + "\n");
                    }
                }
            }
        }
    }

    /** Reads a results.json, or the one inside a directory. */
    public static RunResult read(Path fileOrDir) throws IOException {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(JSON) : fileOrDir;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(fileOrDir + " has no " + JSON);
        }
        return MAPPER.readValue(file.toFile(), RunResult.class);
    }

    static String csvRow(String target, LevelResult l) {
        List<String> cells = new ArrayList<>();
        cells.add(target.contains(",") ? "\"" + target + "\"" : target);
        cells.add(Integer.toString(l.connections()));
        cells.add(Integer.toString(l.connectionsEstablished()));
        cells.add(Long.toString(l.requests()));
        cells.add(num(l.throughputRps()));
        cells.add(num(l.idealRps()));
        cells.add(num(l.achievedRatio()));
        LevelResult.Latency lat = l.latency();
        cells.add(lat == null ? "" : num(lat.p50Ms()));
        cells.add(lat == null ? "" : num(lat.p90Ms()));
        cells.add(lat == null ? "" : num(lat.p99Ms()));
        cells.add(lat == null ? "" : num(lat.p999Ms()));
        cells.add(lat == null ? "" : num(lat.maxMs()));
        cells.add(Long.toString(l.errors()));
        cells.add(Long.toString(l.timeouts()));
        cells.add(Long.toString(l.connectsFailed()));
        cells.add(l.serverThreads() == null ? "" : Long.toString(l.serverThreads()));
        cells.add(num(l.serverRssMib()));
        cells.add(num(l.serverKibPerConnection()));
        cells.add(num(l.serverCpuUsPerRequest()));
        cells.add(num(l.serverCpuPercent()));
        cells.add(num(l.clientCpuPercent()));
        Diagnosis d = l.diagnosis();
        boolean known = d != null;
        cells.add(known && d.serverCpus() != null ? "\"" + d.serverCpus() + "\"" : "");
        cells.add(known && d.clientCpus() != null ? "\"" + d.clientCpus() + "\"" : "");
        cells.add(known ? num(d.machineCpuPercent()) : "");
        cells.add(known ? num(d.clientCpuPercent()) : "");
        cells.add(known ? num(d.serverCpuPercent()) : "");
        cells.add(known && d.bound() != null ? d.bound() : "");
        cells.add(known ? num(d.serverUserUsPerReq()) : "");
        cells.add(known ? num(d.serverSysUsPerReq()) : "");
        cells.add(known ? num(d.gcPauseMsPerS()) : "");
        cells.add(known ? num(d.gcMaxPauseMs()) : "");
        cells.add(known ? num(d.liveHeapKibPerConn()) : "");
        cells.add(known ? num(d.ctxSwitchesPerReq()) : "");
        cells.add(known ? num(d.runqueueWaitUsPerReq()) : "");
        cells.add(known ? num(d.sleepOvershootP50Ms()) : "");
        cells.add(known ? num(d.sleepOvershootP99Ms()) : "");
        LevelResult.BackendUse b = l.backend();
        cells.add(b == null ? "" : num(b.callsRps()));
        cells.add(b == null ? "" : num(b.cpuPercent()));
        cells.add(b == null ? "" : num(b.cpuUsPerCall()));
        cells.add(b == null || b.connections() == null ? "" : Long.toString(b.connections()));
        cells.add(b == null ? "" : num(b.sleepLateP99Ms()));
        return String.join(",", cells);
    }

    private static String num(Double v) {
        if (v == null) {
            return "";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString(v.longValue()) : String.format(Locale.ROOT, "%s", v);
    }
}
