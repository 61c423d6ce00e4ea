package dev.netplay.common.protocol;

import dev.netplay.common.metrics.GcMonitor;
import dev.netplay.common.metrics.HistogramText;
import dev.netplay.common.metrics.ProcessMetrics;
import dev.netplay.common.metrics.ThreadScheduling;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The INFO reply, in Redis's format: {@code # Section} lines, then {@code key:value} lines, CRLF-separated. */
public final class InfoReport {
    private InfoReport() {
    }

    /** Read only when asked for by name (or {@code everything}): it reads two files per thread. */
    public static final String SCHEDULER = "Scheduler";
    /** In the Scheduler section: 1 when the reading is an earlier caller's, shared (at most one a second is made). */
    public static final String SCHED_SHARED = "sched_shared";
    /** Every field of the Scheduler section, in reply order. */
    public static final java.util.List<String> SCHEDULER_FIELDS = java.util.List.of("process_cpu_user_ns", "process_cpu_sys_ns",
            "sched_threads", "sched_threads_read", "sched_sample_stride", "ctx_switches_voluntary", "ctx_switches_involuntary",
            "sched_run_ns", "runqueue_wait_ns", "sched_read_ns", "sched_read_cpu_ns", SCHED_SHARED);

    /** Sections and their fields, in reply order; {@link #SCHEDULER} only if {@code withScheduler}. */
    public static Map<String, Map<String, String>> sections(ServerSettings settings, ServerStats stats, boolean withScheduler) {
        // Read first, so that its own cost falls before the CPU counters below, and a client can subtract it.
        Map<String, String> scheduler = withScheduler ? sharedScheduler(stats) : null;
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> server = new LinkedHashMap<>();
        server.put("server_model", settings.model());
        server.put("transport", settings.transport());
        server.put("io_threads", Integer.toString(settings.ioThreads()));
        server.put("pool_size", Integer.toString(settings.poolSize()));
        server.put("sleep_mode", settings.sleepMode());
        server.put("java_version", System.getProperty("java.version"));
        server.put("pid", Long.toString(ProcessMetrics.pid()));
        server.put("uptime_ms", Long.toString(stats.uptimeMillis()));
        server.put("max_connections", Integer.toString(settings.maxConnections()));
        server.put("request_timeout_ms", Long.toString(settings.guards().requestTimeout().toMillis()));
        server.put("write_timeout_ms", Long.toString(settings.guards().writeTimeout().toMillis()));
        server.put("debug_commands", settings.guards().debugCommands().label());
        sections.put("Server", server);

        Map<String, String> clients = new LinkedHashMap<>();
        clients.put("connected_clients", Integer.toString(stats.connectedClients()));
        clients.put("total_connections_received", Long.toString(stats.totalConnections()));
        clients.put("rejected_connections", Long.toString(stats.rejectedConnections()));
        clients.put("client_memory_bytes", Long.toString(stats.clientMemory().usedBytes()));
        clients.put("client_memory_limit_bytes", Long.toString(stats.clientMemory().limitBytes()));
        clients.put("evicted_clients", Long.toString(stats.clientMemory().evictions()));
        sections.put("Clients", clients);

        Map<String, String> counters = new LinkedHashMap<>();
        counters.put("total_commands_processed", Long.toString(stats.commandsProcessed()));
        counters.put("requests_in_flight", Integer.toString(stats.requestsInFlight()));
        counters.put("timed_out_requests", Long.toString(stats.timedOutRequests()));
        counters.put("stalled_writes_closed", Long.toString(stats.stalledWritesClosed()));
        counters.put("rejected_requests", Long.toString(stats.rejectedRequests()));
        counters.put("dropped_requests", Long.toString(stats.droppedRequests()));
        counters.put("shutdown_errors", Long.toString(stats.shutdownErrors()));
        sections.put("Stats", counters);

        Map<String, String> backend = new LinkedHashMap<>();
        backend.put("backend", settings.backend().label());
        backend.put("backend_command", settings.backend().command());
        backend.put("backend_reply", settings.backend().reply());
        backend.put("backend_timeout_ms", Long.toString(settings.backend().timeout().toMillis()));
        backend.put("backend_max_connections", Integer.toString(settings.backend().connections()));
        backend.put("backend_gather", settings.backend().gather().label());
        backend.put("backend_connections", Integer.toString(stats.backend().connections()));
        backend.put("backend_calls_in_flight", Integer.toString(stats.backend().callsInFlight()));
        backend.put("backend_calls", Long.toString(stats.backend().calls()));
        backend.put("backend_errors", Long.toString(stats.backend().errors()));
        sections.put("Backend", backend);

        Map<String, String> resources = new LinkedHashMap<>();
        resources.put("threads_live", Integer.toString(ProcessMetrics.threadsLive()));
        resources.put("threads_peak", Integer.toString(ProcessMetrics.threadsPeak()));
        resources.put("rss_bytes", Long.toString(ProcessMetrics.rssBytes()));
        resources.put("heap_used_bytes", Long.toString(ProcessMetrics.heapUsedBytes()));
        resources.put("process_cpu_ns", Long.toString(ProcessMetrics.processCpuNanos()));
        sections.put("Resources", resources);

        GcMonitor gc = GcMonitor.get();
        Histogram pauses = gc.pauseHistogram();
        Map<String, String> memory = new LinkedHashMap<>();
        memory.put("heap_max_bytes", Long.toString(gc.heapMaxBytes()));
        memory.put("heap_live_bytes", Long.toString(gc.liveHeapBytes()));
        memory.put("gc_pauses", Long.toString(pauses.getTotalCount()));
        memory.put("gc_pause_total_ms", Long.toString(gc.pauseTotalMillis()));
        memory.put("gc_pause_max_ms", Long.toString(pauses.getTotalCount() == 0 ? 0 : pauses.getMaxValue()));
        memory.put("gc_pause_hist", HistogramText.encode(pauses));
        sections.put("Memory", memory);

        Histogram overshoot = stats.sleepOvershoot();
        Map<String, String> latency = new LinkedHashMap<>();
        boolean slept = overshoot.getTotalCount() > 0;
        latency.put("sleeps", Long.toString(overshoot.getTotalCount()));
        latency.put("sleep_overshoot_p50_us", Long.toString(slept ? overshoot.getValueAtPercentile(50) : -1));
        latency.put("sleep_overshoot_p99_us", Long.toString(slept ? overshoot.getValueAtPercentile(99) : -1));
        latency.put("sleep_overshoot_hist", HistogramText.encode(overshoot));
        sections.put("Latency", latency);

        if (scheduler != null) {
            sections.put(SCHEDULER, scheduler);
        }
        return sections;
    }

    /**
     * The Scheduler section, read at most once a second server-wide; a caller in between gets the last reading, whose
     * read costs it did not pay are then 0 (a client subtracts them from its window's CPU).
     */
    private static Map<String, String> sharedScheduler(ServerStats stats) {
        SharedReading.Result<Map<String, String>> reading = stats.schedulerReadings().get(InfoReport::scheduler);
        if (reading.fresh()) {
            return reading.value();
        }
        Map<String, String> shared = new LinkedHashMap<>(reading.value());
        shared.put("sched_read_ns", "0");
        shared.put("sched_read_cpu_ns", "0");
        shared.put(SCHED_SHARED, "1");
        return shared;
    }

    private static Map<String, String> scheduler() {
        ThreadScheduling.Totals t = ThreadScheduling.read();
        Map<String, String> out = new LinkedHashMap<>();
        // Here, not in Resources: the kernel sums /proc/self/stat over every thread (1.5–5 ms at 19,000 threads).
        long[] userSys = ProcessMetrics.userSystemCpuNanos();
        out.put("process_cpu_user_ns", Long.toString(userSys == null ? -1 : userSys[0]));
        out.put("process_cpu_sys_ns", Long.toString(userSys == null ? -1 : userSys[1]));
        out.put("sched_threads", Long.toString(t == null ? -1 : t.threads()));
        out.put("sched_threads_read", Long.toString(t == null ? -1 : t.threadsRead()));
        out.put("sched_sample_stride", Long.toString(t == null ? -1 : t.stride()));
        out.put("ctx_switches_voluntary", Long.toString(t == null ? -1 : t.voluntary()));
        out.put("ctx_switches_involuntary", Long.toString(t == null ? -1 : t.involuntary()));
        out.put("sched_run_ns", Long.toString(t == null ? -1 : t.runNanos()));
        out.put("runqueue_wait_ns", Long.toString(t == null ? -1 : t.waitNanos()));
        out.put("sched_read_ns", Long.toString(t == null ? -1 : t.readNanos()));
        // A virtual thread's CPU time is not measured: its wall time, an upper bound, stands in.
        out.put("sched_read_cpu_ns", Long.toString(t == null ? -1 : t.readCpuNanos() >= 0 ? t.readCpuNanos() : t.readNanos()));
        out.put(SCHED_SHARED, "0");
        return out;
    }

    /**
     * The INFO text for one section (case-insensitive), or all of them when {@code section} is null, {@code all},
     * {@code default} or {@code everything}. An unknown section gives an empty text, as in Redis. As Redis leaves
     * its costlier sections out of the default, {@code Scheduler} comes only by name or with {@code everything}.
     */
    public static String render(ServerSettings settings, ServerStats stats, String section) {
        String name = section == null ? "default" : section.toLowerCase(Locale.ROOT);
        boolean all = switch (name) {
            case "all", "default", "everything" -> true;
            default -> false;
        };
        boolean withScheduler = name.equals("everything") || name.equalsIgnoreCase(SCHEDULER);
        StringBuilder out = new StringBuilder(1024);
        for (Map.Entry<String, Map<String, String>> entry : sections(settings, stats, withScheduler).entrySet()) {
            if (!all && !entry.getKey().equalsIgnoreCase(section)) {
                continue;
            }
            if (out.length() > 0) {
                out.append("\r\n");
            }
            out.append("# ").append(entry.getKey()).append("\r\n");
            entry.getValue().forEach((k, v) -> out.append(k).append(':').append(v).append("\r\n"));
        }
        return out.toString();
    }

    /** Parses an INFO text back into its fields; {@code # } lines and blank lines are skipped. */
    /** A non-negative number field of a parsed INFO; null where absent, not a number, or negative (-1: unknown). */
    public static Long number(Map<String, String> info, String field) {
        String v = info.get(field);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v.trim());
            return n < 0 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static Map<String, String> parse(String info) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || colon < 0) {
                continue;
            }
            fields.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return fields;
    }
}
