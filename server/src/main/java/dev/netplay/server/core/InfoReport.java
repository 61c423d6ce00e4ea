package dev.netplay.server.core;

import dev.netplay.common.protocol.InfoField;

import dev.netplay.common.metrics.GcMonitor;
import dev.netplay.common.metrics.HistogramText;
import dev.netplay.common.metrics.ProcessMetrics;
import dev.netplay.common.metrics.ThreadScheduling;
import org.HdrHistogram.Histogram;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The INFO reply, in Redis's format: {@code # Section} lines, then {@code key:value} lines, CRLF-separated. */
public final class InfoReport {
    private InfoReport() {
    }

    /**
     * Sections (by title) and their fields (by key), in reply order, every field of {@link InfoField}'s catalogue;
     * {@link InfoField.Section#SCHEDULER} only if {@code withScheduler}.
     */
    public static Map<String, Map<String, String>> sections(ServerSettings settings, ServerStats stats, boolean withScheduler) {
        // Read first, so that its own cost falls before the CPU counters below, and a client can subtract it.
        EnumMap<InfoField, String> v = withScheduler ? sharedScheduler(stats) : new EnumMap<>(InfoField.class);
        v.put(InfoField.SERVER_MODEL, settings.model());
        v.put(InfoField.TRANSPORT, settings.transport());
        v.put(InfoField.IO_THREADS, Integer.toString(settings.ioThreads()));
        v.put(InfoField.POOL_SIZE, Integer.toString(settings.poolSize()));
        v.put(InfoField.SLEEP_MODE, settings.sleepMode());
        v.put(InfoField.JAVA_VERSION, System.getProperty("java.version"));
        v.put(InfoField.PID, Long.toString(ProcessMetrics.pid()));
        v.put(InfoField.UPTIME_MS, Long.toString(stats.uptimeMillis()));
        java.time.Instant now = java.time.Instant.now();
        v.put(InfoField.SERVER_TIME_USEC, Long.toString(now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000));
        v.put(InfoField.MAX_CONNECTIONS, Integer.toString(settings.maxConnections()));
        v.put(InfoField.REQUEST_TIMEOUT_MS, Long.toString(settings.guards().requestTimeout().toMillis()));
        v.put(InfoField.WRITE_TIMEOUT_MS, Long.toString(settings.guards().writeTimeout().toMillis()));
        v.put(InfoField.DEBUG_COMMANDS, settings.guards().debugCommands().label());
        v.put(InfoField.PROTECTED_MODE, settings.guards().protectedMode() ? "yes" : "no");

        v.put(InfoField.CONNECTED_CLIENTS, Integer.toString(stats.connectedClients()));
        v.put(InfoField.TOTAL_CONNECTIONS_RECEIVED, Long.toString(stats.totalConnections()));
        v.put(InfoField.REJECTED_CONNECTIONS, Long.toString(stats.rejectedConnections()));
        v.put(InfoField.DENIED_CONNECTIONS, Long.toString(stats.deniedConnections()));
        v.put(InfoField.CLIENT_MEMORY_BYTES, Long.toString(stats.clientMemory().usedBytes()));
        v.put(InfoField.CLIENT_MEMORY_LIMIT_BYTES, Long.toString(stats.clientMemory().limitBytes()));
        v.put(InfoField.EVICTED_CLIENTS, Long.toString(stats.clientMemory().evictions()));

        v.put(InfoField.TOTAL_COMMANDS_PROCESSED, Long.toString(stats.commandsProcessed()));
        v.put(InfoField.REQUESTS_IN_FLIGHT, Integer.toString(stats.requestsInFlight()));
        v.put(InfoField.TIMED_OUT_REQUESTS, Long.toString(stats.timedOutRequests()));
        v.put(InfoField.STALLED_WRITES_CLOSED, Long.toString(stats.stalledWritesClosed()));
        v.put(InfoField.REJECTED_REQUESTS, Long.toString(stats.rejectedRequests()));
        v.put(InfoField.DROPPED_REQUESTS, Long.toString(stats.droppedRequests()));
        v.put(InfoField.SHUTDOWN_ERRORS, Long.toString(stats.shutdownErrors()));

        v.put(InfoField.BACKEND, settings.backend().label());
        v.put(InfoField.BACKEND_COMMAND, settings.backend().command());
        v.put(InfoField.BACKEND_REPLY, settings.backend().reply());
        v.put(InfoField.BACKEND_TIMEOUT_MS, Long.toString(settings.backend().timeout().toMillis()));
        v.put(InfoField.BACKEND_MAX_CONNECTIONS, Integer.toString(settings.backend().connections()));
        v.put(InfoField.BACKEND_GATHER, settings.backend().gather().label());
        v.put(InfoField.BACKEND_CONNECTIONS, Integer.toString(stats.backend().connections()));
        v.put(InfoField.BACKEND_CALLS_IN_FLIGHT, Integer.toString(stats.backend().callsInFlight()));
        v.put(InfoField.BACKEND_CALLS, Long.toString(stats.backend().calls()));
        v.put(InfoField.BACKEND_ERRORS, Long.toString(stats.backend().errors()));
        v.put(InfoField.BACKEND_CALLS_CANCELLED, Long.toString(stats.backend().cancelled()));

        v.put(InfoField.THREADS_LIVE, Integer.toString(ProcessMetrics.threadsLive()));
        v.put(InfoField.THREADS_PEAK, Integer.toString(ProcessMetrics.threadsPeak()));
        v.put(InfoField.RSS_BYTES, Long.toString(ProcessMetrics.rssBytes()));
        v.put(InfoField.HEAP_USED_BYTES, Long.toString(ProcessMetrics.heapUsedBytes()));
        v.put(InfoField.PROCESS_CPU_NS, Long.toString(ProcessMetrics.processCpuNanos()));

        GcMonitor gc = GcMonitor.get();
        Histogram pauses = gc.pauseHistogram();
        v.put(InfoField.HEAP_MAX_BYTES, Long.toString(gc.heapMaxBytes()));
        v.put(InfoField.HEAP_LIVE_BYTES, Long.toString(gc.liveHeapBytes()));
        v.put(InfoField.GC_PAUSES, Long.toString(pauses.getTotalCount()));
        v.put(InfoField.GC_PAUSE_TOTAL_MS, Long.toString(gc.pauseTotalMillis()));
        v.put(InfoField.GC_PAUSE_MAX_MS, Long.toString(pauses.getTotalCount() == 0 ? 0 : pauses.getMaxValue()));
        v.put(InfoField.GC_PAUSE_HIST, HistogramText.encode(pauses));

        Histogram overshoot = stats.sleepOvershoot();
        boolean slept = overshoot.getTotalCount() > 0;
        v.put(InfoField.SLEEPS, Long.toString(overshoot.getTotalCount()));
        v.put(InfoField.SLEEP_OVERSHOOT_P50_US, Long.toString(slept ? overshoot.getValueAtPercentile(50) : -1));
        v.put(InfoField.SLEEP_OVERSHOOT_P99_US, Long.toString(slept ? overshoot.getValueAtPercentile(99) : -1));
        v.put(InfoField.SLEEP_OVERSHOOT_HIST, HistogramText.encode(overshoot));

        return arranged(v, withScheduler);
    }

    /** The values by section, in the catalogue's order; a field of the catalogue left unwritten is a bug, and says so. */
    private static Map<String, Map<String, String>> arranged(EnumMap<InfoField, String> values, boolean withScheduler) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        for (InfoField.Section section : InfoField.Section.values()) {
            if (section == InfoField.Section.SCHEDULER && !withScheduler) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (InfoField field : section.fields()) {
                String value = values.get(field);
                if (value == null) {
                    throw new IllegalStateException("INFO field " + field.key() + " was not written");
                }
                fields.put(field.key(), value);
            }
            sections.put(section.title(), fields);
        }
        return sections;
    }

    /**
     * The Scheduler section, read at most once a second server-wide; a caller in between gets the last reading, whose
     * read costs it did not pay are then 0 (a client subtracts them from its window's CPU).
     */
    private static EnumMap<InfoField, String> sharedScheduler(ServerStats stats) {
        SharedReading.Result<Map<InfoField, String>> reading = stats.schedulerReadings().get(InfoReport::scheduler);
        EnumMap<InfoField, String> shared = new EnumMap<>(reading.value());
        if (reading.fresh()) {
            return shared;
        }
        shared.put(InfoField.SCHED_READ_NS, "0");
        shared.put(InfoField.SCHED_READ_CPU_NS, "0");
        shared.put(InfoField.SCHED_SHARED, "1");
        return shared;
    }

    private static Map<InfoField, String> scheduler() {
        ThreadScheduling.Totals t = ThreadScheduling.read();
        EnumMap<InfoField, String> v = new EnumMap<>(InfoField.class);
        // Here, not in Resources: the kernel sums /proc/self/stat over every thread (1.5–5 ms at 19,000 threads).
        long[] userSys = ProcessMetrics.userSystemCpuNanos();
        v.put(InfoField.PROCESS_CPU_USER_NS, Long.toString(userSys == null ? -1 : userSys[0]));
        v.put(InfoField.PROCESS_CPU_SYS_NS, Long.toString(userSys == null ? -1 : userSys[1]));
        v.put(InfoField.SCHED_THREADS, Long.toString(t == null ? -1 : t.threads()));
        v.put(InfoField.SCHED_THREADS_READ, Long.toString(t == null ? -1 : t.threadsRead()));
        v.put(InfoField.SCHED_SAMPLE_STRIDE, Long.toString(t == null ? -1 : t.stride()));
        v.put(InfoField.CTX_SWITCHES_VOLUNTARY, Long.toString(t == null ? -1 : t.voluntary()));
        v.put(InfoField.CTX_SWITCHES_INVOLUNTARY, Long.toString(t == null ? -1 : t.involuntary()));
        v.put(InfoField.SCHED_RUN_NS, Long.toString(t == null ? -1 : t.runNanos()));
        v.put(InfoField.RUNQUEUE_WAIT_NS, Long.toString(t == null ? -1 : t.waitNanos()));
        v.put(InfoField.SCHED_READ_NS, Long.toString(t == null ? -1 : t.readNanos()));
        // A virtual thread's CPU time is not measured: its wall time, an upper bound, stands in.
        v.put(InfoField.SCHED_READ_CPU_NS, Long.toString(t == null ? -1 : t.readCpuNanos() >= 0 ? t.readCpuNanos() : t.readNanos()));
        v.put(InfoField.SCHED_SHARED, "0");
        return v;
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
        boolean withScheduler = name.equals("everything") || name.equalsIgnoreCase(InfoField.Section.SCHEDULER.title());
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
}
