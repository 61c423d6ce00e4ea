package dev.netplay.client.results;

import java.util.Locale;

/** The table printed at the end of a run, one row per target and level, read like wrk's summary. */
public final class SummaryTable {
    private static final String HEADER = String.format(Locale.ROOT,
            "%-18s %6s %6s %10s %10s %6s %9s %9s %9s %9s %7s %6s %7s %8s %8s %8s",
            "target", "conns", "up", "req/s", "ideal", "ach%", "p50 ms", "p90 ms", "p99 ms", "max ms",
            "errors", "t/o", "srv thr", "RSS MiB", "KiB/conn", "CPU us/req");

    private SummaryTable() {
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
