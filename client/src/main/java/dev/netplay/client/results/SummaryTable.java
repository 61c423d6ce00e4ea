package dev.netplay.client.results;

import java.util.Locale;

/** The table printed at the end of a run, one row per target and level, read like wrk's summary. */
public final class SummaryTable {
    private static final String HEADER = String.format(Locale.ROOT,
            "%-18s %6s %6s %10s %10s %6s %9s %9s %9s %9s %7s %6s %7s %8s %8s %8s",
            "target", "conns", "up", "req/s", "ideal", "ach%", "p50 ms", "p90 ms", "p99 ms", "max ms",
            "errors", "t/o", "srv thr", "RSS MiB", "KiB/conn", "CPU us/req");

    private static final String COSTS_HEADER = String.format(Locale.ROOT,
            "%-18s %6s %-10s %5s %5s %5s %5s %7s %7s %8s %8s %7s %8s %9s %9s %9s",
            "target", "conns", "bound", "srv", "cli", "srv%", "cli%", "usr us", "sys us", "cs/req", "rq us",
            "gc ms/s", "gc max", "live KiB", "over p50", "over p99");

    private static final String COMMANDS_HEADER = String.format(Locale.ROOT, "%-18s %6s %-20s %10s %9s %9s %9s %9s %9s",
            "target", "conns", "request", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms");

    private SummaryTable() {
    }

    /** With {@code --mix}: each request's own figures per level; empty when no level has them. */
    public static String renderByCommand(RunResult run) {
        StringBuilder out = new StringBuilder();
        for (TargetResult t : run.targets()) {
            for (LevelResult l : t.levels()) {
                if (l.byCommand() == null) {
                    continue;
                }
                for (var c : l.byCommand().entrySet()) {
                    LevelResult.Latency lat = c.getValue().latency();
                    out.append(String.format(Locale.ROOT, "%-18s %6d %-20s %10d %9.1f %9s %9s %9s %9s%n", t.name(), l.connections(),
                            c.getKey(), c.getValue().requests(), c.getValue().throughputRps(),
                            lat == null ? "-" : String.format(Locale.ROOT, "%.1f", lat.p50Ms()),
                            lat == null ? "-" : String.format(Locale.ROOT, "%.1f", lat.p90Ms()),
                            lat == null ? "-" : String.format(Locale.ROOT, "%.1f", lat.p99Ms()),
                            lat == null ? "-" : String.format(Locale.ROOT, "%.1f", lat.maxMs())));
                }
            }
        }
        return out.length() == 0 ? "" : COMMANDS_HEADER + "\n" + out;
    }

    /**
     * Why each level looks as it does: CPUs (srv/cli: the sets; srv%/cli%: each process's CPU, % of its set), CPU per
     * request in user and kernel mode, context switches and run-queue wait per request, GC, live heap per connection,
     * and how late the server's SLEEPs resumed (ms).
     */
    public static String renderCosts(RunResult run) {
        StringBuilder out = new StringBuilder(COSTS_HEADER).append('\n');
        for (TargetResult t : run.targets()) {
            for (LevelResult l : t.levels()) {
                Diagnosis d = l.diagnosis();
                if (d == null) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, "%-18s %6d %-10s %5s %5s %5s %5s %7s %7s %8s %8s %7s %8s %9s %9s %9s%n",
                        t.name(), l.connections(), d.bound(), dash(d.serverCpus()), dash(d.clientCpus()),
                        opt(d.serverCpuPercent(), "%.0f"), opt(d.clientCpuPercent(), "%.0f"),
                        opt(d.serverUserUsPerReq(), "%.1f"), opt(d.serverSysUsPerReq(), "%.1f"),
                        opt(d.ctxSwitchesPerReq(), "%.2f"), opt(d.runqueueWaitUsPerReq(), "%.1f"),
                        opt(d.gcPauseMsPerS(), "%.2f"), opt(d.gcMaxPauseMs(), "%.0f"), opt(d.liveHeapKibPerConn(), "%.2f"),
                        opt(d.sleepOvershootP50Ms(), "%.2f"), opt(d.sleepOvershootP99Ms(), "%.2f")));
            }
        }
        return out.toString();
    }

    private static String dash(String v) {
        return v == null ? "-" : v;
    }

    private static String opt(Double v, String format) {
        return v == null ? "-" : String.format(Locale.ROOT, format, v);
    }

    public static String render(RunResult run) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (TargetResult t : run.targets()) {
            for (LevelResult l : t.levels()) {
                LevelResult.Latency lat = l.latency();
                out.append(String.format(Locale.ROOT, "%-18s %6d %6d %10.1f %10s %6s %9s %9s %9s %9s %7d %6d %7s %8s %8s %8s%n",
                        t.name(), l.connections(), l.connectionsEstablished(), l.throughputRps(),
                        l.idealRps() == null ? "-" : String.format(Locale.ROOT, "%.1f", l.idealRps()),
                        l.achievedRatio() == null ? "-" : String.format(Locale.ROOT, "%.1f", l.achievedRatio() * 100),
                        lat == null ? "-" : fmt(lat.p50Ms()), lat == null ? "-" : fmt(lat.p90Ms()),
                        lat == null ? "-" : fmt(lat.p99Ms()), lat == null ? "-" : fmt(lat.maxMs()),
                        l.errors(), l.timeouts(), l.serverThreads() == null ? "-" : l.serverThreads().toString(),
                        l.serverRssMib() == null ? "-" : fmt(l.serverRssMib()),
                        l.serverKibPerConnection() == null ? "-" : fmt(l.serverKibPerConnection()),
                        l.serverCpuUsPerRequest() == null ? "-" : fmt(l.serverCpuUsPerRequest())));
                if (l.backend() != null) {
                    LevelResult.BackendUse b = l.backend();
                    out.append(String.format(Locale.ROOT, "    backend: %,.0f calls/s, %.1f%% CPU (%.1f µs a call), %s connections%s%n",
                            b.callsRps(), b.cpuPercent(), b.cpuUsPerCall() == null ? 0.0 : b.cpuUsPerCall(),
                            b.connections() == null ? "?" : String.format(Locale.ROOT, "%,d", b.connections()),
                            b.sleepLateP99Ms() == null ? "" : String.format(Locale.ROOT, ", its SLEEPs %.1f ms late at p99", b.sleepLateP99Ms())));
                }
                if (l.note() != null) {
                    out.append("    note: ").append(l.note()).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : "%.2f", v);
    }
}
