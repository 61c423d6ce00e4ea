package dev.netplay.client.load.figures;

import dev.netplay.common.protocol.InfoField;
import dev.netplay.client.results.Bound;
import dev.netplay.client.results.Diagnosis;
import dev.netplay.common.metrics.CpuList;
import dev.netplay.common.metrics.HistogramText;
import dev.netplay.common.metrics.ProcFiles;
import dev.netplay.common.metrics.ProcessSnapshot;
import dev.netplay.common.metrics.ThreadScheduling;
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
     * @param othersNanos    the CPU of the machine's other user processes (not the server, the client or the backend;
     *                       kernel threads left out) over the window; null if unknown
     * @param clientLagP50Ms the client's lag over the window, median (ms); null if not measured
     * @param probeRequests  the probe's PINGs in the window: the server counts them, they are not the load's requests
     * @param processStart   the server process read from /proc at the window's start, where it runs on this machine
     *                       and its pid is known; null otherwise (then its INFO is the source)
     * @param processEnd     the same at the window's end
     * @param loadRequests   the load's requests completed in the window, as the client counted them: the count
     *                       per-request figures divide by where the server counts none
     */
    public record Edges(Map<String, String> idle, Map<String, String> start, Map<String, String> end,
                          Map<String, String> purged, CpuList serverCpus, CpuList clientCpus,
                          Map<Integer, ProcFiles.CpuTicks> procStatStart, Map<Integer, ProcFiles.CpuTicks> procStatEnd,
                          long clientCpuNanos, double windowSeconds, int connections, Long othersNanos,
                          Double clientLagP50Ms, Double clientLagP99Ms, long probeRequests, ProcessSnapshot processStart,
                          ProcessSnapshot processEnd, long loadRequests) {
        /** Without a backend, the client's lag, a probe or a /proc reading. */
        public Edges(Map<String, String> idle, Map<String, String> start, Map<String, String> end, Map<String, String> purged,
                     CpuList serverCpus, CpuList clientCpus, Map<Integer, ProcFiles.CpuTicks> procStatStart,
                     Map<Integer, ProcFiles.CpuTicks> procStatEnd, long clientCpuNanos, double windowSeconds, int connections) {
            this(idle, start, end, purged, serverCpus, clientCpus, procStatStart, procStatEnd, clientCpuNanos, windowSeconds,
                    connections, null, null, null, 0, null, null, 0);
        }

        /** Without a /proc reading of the server. */
        public Edges(Map<String, String> idle, Map<String, String> start, Map<String, String> end, Map<String, String> purged,
                     CpuList serverCpus, CpuList clientCpus, Map<Integer, ProcFiles.CpuTicks> procStatStart,
                     Map<Integer, ProcFiles.CpuTicks> procStatEnd, long clientCpuNanos, double windowSeconds, int connections,
                     Long othersNanos, Double clientLagP50Ms, Double clientLagP99Ms, long probeRequests) {
            this(idle, start, end, purged, serverCpus, clientCpus, procStatStart, procStatEnd, clientCpuNanos, windowSeconds,
                    connections, othersNanos, clientLagP50Ms, clientLagP99Ms, probeRequests, null, null, 0);
        }
    }

    /**
     * The server process's counters over the window, from one source: the kernel's files for the process where it runs
     * here ({@code proc}), else what the server reports of itself in INFO ({@code info}). Null where the source lacks one.
     *
     * @param cpuNs       CPU time, user and system, less what the server spent answering the end edge's INFO scheduler
     *                    section (the client asked for it; the start edge's lies before the window)
     * @param readNs      wall time of the per-thread read at the end edge
     * @param readCpuNs   CPU time that read cost the server (excluded from its CPU figures)
     */
    record ProcessDelta(String source, Long cpuNs, Long userNs, Long sysNs, Long voluntary, Long involuntary, Long waitNs,
                        Long threads, Long readNs, Long readCpuNs) {
        static ProcessDelta of(Edges s) {
            Long readCpu = InfoField.SCHED_READ_CPU_NS.number(s.end());
            long readCpuNs = readCpu == null ? 0 : readCpu;
            ProcessSnapshot a = s.processStart();
            ProcessSnapshot b = s.processEnd();
            if (a != null && b != null) {
                ThreadScheduling.Totals ta = a.scheduling();
                ThreadScheduling.Totals tb = b.scheduling();
                boolean sched = ta != null && tb != null;
                return new ProcessDelta(PROC, Math.max(0, b.cpuNanos() - a.cpuNanos() - readCpuNs), b.userNanos() - a.userNanos(),
                        Math.max(0, b.systemNanos() - a.systemNanos() - readCpuNs),
                        sched ? tb.voluntary() - ta.voluntary() : null, sched ? tb.involuntary() - ta.involuntary() : null,
                        sched ? tb.waitNanos() - ta.waitNanos() : null, b.threads(), sched ? tb.readNanos() : null, readCpu);
            }
            Long cpu = diff(s.start(), s.end(), InfoField.PROCESS_CPU_NS);
            Long sys = diff(s.start(), s.end(), InfoField.PROCESS_CPU_SYS_NS);
            return new ProcessDelta(INFO, cpu == null ? null : Math.max(0, cpu - readCpuNs),
                    diff(s.start(), s.end(), InfoField.PROCESS_CPU_USER_NS), sys == null ? null : Math.max(0, sys - readCpuNs),
                    diff(s.start(), s.end(), InfoField.CTX_SWITCHES_VOLUNTARY), diff(s.start(), s.end(), InfoField.CTX_SWITCHES_INVOLUNTARY),
                    diff(s.start(), s.end(), InfoField.RUNQUEUE_WAIT_NS), InfoField.SCHED_THREADS.number(s.end()),
                    InfoField.SCHED_READ_NS.number(s.end()), readCpu);
        }
    }

    /** Where a server's process figures came from: the kernel's files for it, read by the client. */
    public static final String PROC = "proc";
    /** ... or the server's own INFO (a server on another host). */
    public static final String INFO = "info";

    private LevelCosts() {
    }

    public static Diagnosis diagnose(Edges s) {
        Long counted = diff(s.start(), s.end(), InfoField.TOTAL_COMMANDS_PROCESSED);
        // the probe's PINGs are not the load's requests; a server that counts none is divided by the client's count
        Long commands = counted == null ? (Long) s.loadRequests() : (Long) (counted - s.probeRequests());
        Long uptimeMs = diff(s.start(), s.end(), InfoField.UPTIME_MS);
        double serverSeconds = uptimeMs == null || uptimeMs <= 0 ? s.windowSeconds() : uptimeMs / 1000.0;
        ProcessDelta process = ProcessDelta.of(s);
        return new Diagnosis(placement(s), busy(s, process.cpuNs(), serverSeconds), process(process, commands), jvm(s, serverSeconds));
    }

    private static Diagnosis.Placement placement(Edges s) {
        return new Diagnosis.Placement(s.serverCpus() == null ? null : s.serverCpus().toString(),
                s.clientCpus() == null ? null : s.clientCpus().toString());
    }

    /** The CPUs' and the roles' busy shares over the window, and the bound they point to. */
    private static Diagnosis.Busy busy(Edges s, Long serverCpuNs, double serverSeconds) {
        CpuList all = new CpuList(s.procStatEnd().keySet().stream().toList());
        Double machine = all.isEmpty() ? null : ProcFiles.busyPercent(s.procStatStart(), s.procStatEnd(), all);
        Double serverCores = s.serverCpus() == null ? null : ProcFiles.busyPercent(s.procStatStart(), s.procStatEnd(), s.serverCpus());
        Double clientCores = s.clientCpus() == null ? null : ProcFiles.busyPercent(s.procStatStart(), s.procStatEnd(), s.clientCpus());
        Double serverPct = serverCpuNs == null || s.serverCpus() == null ? null
                : 100.0 * serverCpuNs / (serverSeconds * 1e9 * s.serverCpus().size());
        Double clientPct = s.clientCpus() == null ? null : 100.0 * s.clientCpuNanos() / (s.windowSeconds() * 1e9 * s.clientCpus().size());
        boolean shared = s.serverCpus() == null || s.clientCpus() == null || s.serverCpus().overlaps(s.clientCpus());
        Double steal = ProcFiles.stealPercent(s.procStatStart(), s.procStatEnd());
        Double other = s.othersNanos() == null ? null : s.othersNanos() / (s.windowSeconds() * 1e9) * 100;
        Bound bound = Bound.judge(Bound.classify(serverCores, clientCores, shared && s.serverCpus() != null, serverPct, clientPct),
                steal, other, s.clientLagP99Ms());
        return new Diagnosis.Busy(round(machine, 1), round(serverCores, 1), round(clientCores, 1), round(serverPct, 1),
                round(clientPct, 1), bound, round(steal, 2), round(other, 1), s.clientLagP50Ms(), s.clientLagP99Ms());
    }

    /** The server process's CPU and scheduling per request: every one over the same count of requests. */
    private static Diagnosis.ProcessCosts process(ProcessDelta d, Long commands) {
        boolean perRequest = commands != null && commands > 0;
        return new Diagnosis.ProcessCosts(
                perRequest && d.cpuNs() != null ? round(d.cpuNs() / NANOS_PER_US / commands, 2) : null,
                perRequest && d.userNs() != null ? round(d.userNs() / NANOS_PER_US / commands, 2) : null,
                perRequest && d.sysNs() != null ? round(d.sysNs() / NANOS_PER_US / commands, 2) : null,
                perRequest && d.voluntary() != null && d.involuntary() != null
                        ? round((double) (d.voluntary() + d.involuntary()) / commands, 3) : null,
                perRequest && d.involuntary() != null ? round((double) d.involuntary() / commands, 3) : null,
                perRequest && d.waitNs() != null ? round(d.waitNs() / NANOS_PER_US / commands, 3) : null,
                d.threads(), d.readNs() == null ? null : round(d.readNs() / NANOS_PER_MS, 2),
                d.readCpuNs() == null ? null : round(d.readCpuNs() / NANOS_PER_MS, 2), d.source());
    }

    /** GC, live heap and SLEEP lateness: what a JVM server reports of itself. */
    private static Diagnosis.JvmCosts jvm(Edges s, double serverSeconds) {
        Long pauseMs = diff(s.start(), s.end(), InfoField.GC_PAUSE_TOTAL_MS);
        Histogram pauses = HistogramText.between(HistogramText.decode(InfoField.GC_PAUSE_HIST.in(s.start())),
                HistogramText.decode(InfoField.GC_PAUSE_HIST.in(s.end())));
        Double maxPause = pauses == null ? null : (double) (pauses.getTotalCount() == 0 ? 0 : pauses.getMaxValue());
        Long liveIdle = InfoField.HEAP_LIVE_BYTES.number(s.idle());
        Long liveEnd = InfoField.HEAP_LIVE_BYTES.number(s.purged());
        Double liveMib = liveEnd == null ? null : liveEnd / BYTES_PER_MIB;
        Double livePerConn = liveEnd == null || liveIdle == null || s.connections() <= 0 ? null
                : (liveEnd - liveIdle) / BYTES_PER_KIB / s.connections();
        Histogram overshoot = HistogramText.between(HistogramText.decode(InfoField.SLEEP_OVERSHOOT_HIST.in(s.start())),
                HistogramText.decode(InfoField.SLEEP_OVERSHOOT_HIST.in(s.end())));
        boolean slept = overshoot != null && overshoot.getTotalCount() > 0;
        return new Diagnosis.JvmCosts(pauseMs == null ? null : round(pauseMs / serverSeconds, 3), maxPause,
                round(liveMib, 2), round(livePerConn, 3),
                slept ? round(overshoot.getValueAtPercentile(50) / 1000.0, 3) : null,
                slept ? round(overshoot.getValueAtPercentile(99) / 1000.0, 3) : null);
    }

    /** end - start of a counter; null if either side lacks it (or reports it unknown). */
    private static Long diff(Map<String, String> start, Map<String, String> end, InfoField field) {
        Long a = field.number(start);
        Long b = field.number(end);
        return a == null || b == null ? null : b - a;
    }

    private static Double round(Double v, int places) {
        return v == null || v.isNaN() || v.isInfinite() ? null : LevelFigures.round(v, places);
    }
}
