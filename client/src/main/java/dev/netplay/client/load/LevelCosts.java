package dev.netplay.client.load;

import dev.netplay.client.results.Bound;
import dev.netplay.client.results.Diagnosis;
import dev.netplay.common.metrics.CpuList;
import dev.netplay.common.metrics.HistogramText;
import dev.netplay.common.metrics.ProcFiles;
import dev.netplay.common.protocol.InfoReport;
import org.HdrHistogram.Histogram;

import java.util.Map;

/** Turns what was sampled at a level's edges into its {@link Diagnosis}. A pure function: tested on made-up samples. */
public final class LevelCosts {
    private static final double NANOS_PER_US = 1_000;
    private static final double NANOS_PER_MS = 1_000_000;
    private static final double BYTES_PER_KIB = 1024;
    private static final double BYTES_PER_MIB = 1024 * 1024;

    /**
     * @param idle           the server's INFO after MEMORY PURGE, before any load
     * @param start          the server's INFO everything at the window's start
     * @param end            the same at its end
     * @param purged         INFO after MEMORY PURGE once the window closed
     * @param serverCpus     null if unknown
     * @param clientCpus     null if unknown
     * @param procStatStart  /proc/stat per CPU at the window's start (the client's reading)
     * @param clientCpuNanos the client process's CPU over the window
     */
    public record Samples(Map<String, String> idle, Map<String, String> start, Map<String, String> end,
                          Map<String, String> purged, CpuList serverCpus, CpuList clientCpus,
                          Map<Integer, ProcFiles.CpuTicks> procStatStart, Map<Integer, ProcFiles.CpuTicks> procStatEnd,
                          long clientCpuNanos, double windowSeconds, int connections) {
    }

    private LevelCosts() {
    }

    public static Diagnosis diagnose(Samples s) {
        Map<String, String> a = s.start();
        Map<String, String> b = s.end();
        Long commands = diff(a, b, "total_commands_processed");
        Long uptimeMs = diff(a, b, "uptime_ms");
        double serverSeconds = uptimeMs == null || uptimeMs <= 0 ? s.windowSeconds() : uptimeMs / 1000.0;
        boolean perRequest = commands != null && commands > 0;
        // The end edge's per-thread read is inside the CPU window (the start edge's is before it): take it out.
        Long readCpu = number(b, "sched_read_cpu_ns");
        long readCpuNs = readCpu == null ? 0 : readCpu;

        Long cpu = diff(a, b, "process_cpu_ns");
        Long user = diff(a, b, "process_cpu_user_ns");
        Long sys = diff(a, b, "process_cpu_sys_ns");
        Double userUs = perRequest && user != null ? user / NANOS_PER_US / commands : null;
        Double sysUs = perRequest && sys != null ? Math.max(0, sys - readCpuNs) / NANOS_PER_US / commands : null;

        CpuList all = new CpuList(s.procStatEnd().keySet().stream().toList());
        Double machine = all.isEmpty() ? null : ProcFiles.busyPercent(s.procStatStart(), s.procStatEnd(), all);
        Double serverCores = s.serverCpus() == null ? null : ProcFiles.busyPercent(s.procStatStart(), s.procStatEnd(), s.serverCpus());
        Double clientCores = s.clientCpus() == null ? null : ProcFiles.busyPercent(s.procStatStart(), s.procStatEnd(), s.clientCpus());
        Double serverPct = cpu == null || s.serverCpus() == null ? null
                : 100.0 * Math.max(0, cpu - readCpuNs) / (serverSeconds * 1e9 * s.serverCpus().size());
        Double clientPct = s.clientCpus() == null ? null : 100.0 * s.clientCpuNanos() / (s.windowSeconds() * 1e9 * s.clientCpus().size());
        boolean shared = s.serverCpus() == null || s.clientCpus() == null || s.serverCpus().overlaps(s.clientCpus());
        Bound bound = Bound.classify(serverCores, clientCores, shared && s.serverCpus() != null, serverPct, clientPct);

        Long pauseMs = diff(a, b, "gc_pause_total_ms");
        Histogram pauses = HistogramText.between(HistogramText.decode(a.get("gc_pause_hist")), HistogramText.decode(b.get("gc_pause_hist")));
        Double maxPause = pauses == null ? null : (double) (pauses.getTotalCount() == 0 ? 0 : pauses.getMaxValue());

        Long liveIdle = number(s.idle(), "heap_live_bytes");
        Long liveEnd = number(s.purged(), "heap_live_bytes");
        Double liveMib = liveEnd == null ? null : liveEnd / BYTES_PER_MIB;
        Double livePerConn = liveEnd == null || liveIdle == null || s.connections() <= 0 ? null
                : (liveEnd - liveIdle) / BYTES_PER_KIB / s.connections();

        Long voluntary = diff(a, b, "ctx_switches_voluntary");
        Long involuntary = diff(a, b, "ctx_switches_involuntary");
        Long wait = diff(a, b, "runqueue_wait_ns");

        Histogram overshoot = HistogramText.between(HistogramText.decode(a.get("sleep_overshoot_hist")),
                HistogramText.decode(b.get("sleep_overshoot_hist")));
        boolean slept = overshoot != null && overshoot.getTotalCount() > 0;

        Long readNs = number(b, "sched_read_ns");
        return new Diagnosis(s.serverCpus() == null ? null : s.serverCpus().toString(),
                s.clientCpus() == null ? null : s.clientCpus().toString(),
                round(machine, 1), round(serverCores, 1), round(clientCores, 1), round(serverPct, 1), round(clientPct, 1),
                bound.label, round(userUs, 2), round(sysUs, 2),
                pauseMs == null ? null : round(pauseMs / serverSeconds, 3), maxPause,
                round(liveMib, 2), round(livePerConn, 3),
                perRequest && voluntary != null && involuntary != null ? round((double) (voluntary + involuntary) / commands, 3) : null,
                perRequest && involuntary != null ? round((double) involuntary / commands, 3) : null,
                perRequest && wait != null ? round(wait / NANOS_PER_US / commands, 3) : null,
                slept ? round(overshoot.getValueAtPercentile(50) / 1000.0, 3) : null,
                slept ? round(overshoot.getValueAtPercentile(99) / 1000.0, 3) : null,
                number(b, "sched_threads"), readNs == null ? null : round(readNs / NANOS_PER_MS, 2),
                readCpu == null ? null : round(readCpu / NANOS_PER_MS, 2));
    }

    /** end - start of a counter; null if either side lacks it (or reports it unknown). */
    private static Long diff(Map<String, String> start, Map<String, String> end, String field) {
        Long a = number(start, field);
        Long b = number(end, field);
        return a == null || b == null ? null : b - a;
    }

    private static Long number(Map<String, String> info, String field) {
        return info == null ? null : InfoReport.number(info, field);
    }

    private static Double round(Double v, int places) {
        return v == null || v.isNaN() || v.isInfinite() ? null : LevelFigures.round(v, places);
    }
}
