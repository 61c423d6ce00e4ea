package dev.netplay.common.protocol;

import dev.netplay.common.metrics.ProcessMetrics;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The INFO reply, in Redis's format: {@code # Section} lines, then {@code key:value} lines, CRLF-separated. */
public final class InfoReport {
    private InfoReport() {
    }

    /** Sections and their fields, in reply order. */
    public static Map<String, Map<String, String>> sections(ServerSettings settings, ServerStats stats) {
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
        sections.put("Server", server);

        Map<String, String> clients = new LinkedHashMap<>();
        clients.put("connected_clients", Integer.toString(stats.connectedClients()));
        clients.put("total_connections_received", Long.toString(stats.totalConnections()));
        clients.put("rejected_connections", Long.toString(stats.rejectedConnections()));
        sections.put("Clients", clients);

        Map<String, String> counters = new LinkedHashMap<>();
        counters.put("total_commands_processed", Long.toString(stats.commandsProcessed()));
        sections.put("Stats", counters);

        Map<String, String> resources = new LinkedHashMap<>();
        resources.put("threads_live", Integer.toString(ProcessMetrics.threadsLive()));
        resources.put("threads_peak", Integer.toString(ProcessMetrics.threadsPeak()));
        resources.put("rss_bytes", Long.toString(ProcessMetrics.rssBytes()));
        resources.put("heap_used_bytes", Long.toString(ProcessMetrics.heapUsedBytes()));
        resources.put("process_cpu_ns", Long.toString(ProcessMetrics.processCpuNanos()));
        sections.put("Resources", resources);
        return sections;
    }

    /**
     * The INFO text for one section (case-insensitive), or all of them when {@code section} is null, {@code all},
     * {@code default} or {@code everything}. An unknown section gives an empty text, as in Redis.
     */
    public static String render(ServerSettings settings, ServerStats stats, String section) {
        boolean all = section == null || switch (section.toLowerCase(Locale.ROOT)) {
            case "all", "default", "everything" -> true;
            default -> false;
        };
        StringBuilder out = new StringBuilder(512);
        for (Map.Entry<String, Map<String, String>> entry : sections(settings, stats).entrySet()) {
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
