package dev.netplay.client.results;

import dev.netplay.client.results.Figure.Chart;
import dev.netplay.client.results.Figure.Section;
import dev.netplay.client.results.Figure.Shown;
import dev.netplay.client.results.Figure.Table;

import java.util.List;
import java.util.function.Function;

import static dev.netplay.client.results.Figure.AS_TEXT;
import static dev.netplay.client.results.Figure.MILLIS;
import static dev.netplay.client.results.Figure.printf;

/**
 * Every figure a level prints, in column order: results.csv has them all, in this order, after the target; the text
 * summary and costs tables, and report.html's tables, show those with a header for them. To add a figure: a component
 * of {@link LevelResult} (or of a record in it), the arithmetic that fills it, and one line here, its
 * chart with it if it has one (report.html and the PNGs draw every chart declared here).
 */
public final class Figures {
    private Figures() {
    }

    public static final List<Figure<LevelResult>> ALL = List.of(
            f(Table.SUMMARY, "connections", LevelResult::connections, text("conns", 6, "%d"), html("connections", "%,d")),
            f(Table.SUMMARY, "established", LevelResult::connectionsEstablished, text("up", 6, "%d"), null),
            f(Table.SUMMARY, "requests", LevelResult::requests, null, null),
            f(Table.SUMMARY, "throughput_rps", LevelResult::throughputRps, text("req/s", 10, "%.1f"), html("req/s", "%,.1f")),
            f(Table.SUMMARY, "ideal_rps", LevelResult::idealRps, text("ideal", 10, "%.1f"), html("ideal req/s (C / D)", "%,.1f")),
            f(Table.SUMMARY, "achieved_ratio", LevelResult::achievedRatio,
                    new Shown("ach%", 6, printf("%.1f", 100)), new Shown("% of ideal", 0, printf("%.1f%%", 100))),
            f(Table.SUMMARY, "p50_ms", l -> latency(l, LevelResult.Latency::p50Ms), ms("p50 ms"), html("p50 ms", "%,.2f")),
            f(Table.SUMMARY, "p90_ms", l -> latency(l, LevelResult.Latency::p90Ms), ms("p90 ms"), null),
            f(Table.SUMMARY, "p99_ms", l -> latency(l, LevelResult.Latency::p99Ms), ms("p99 ms"), html("p99 ms", "%,.2f"))
                    .charted(new Chart("latency-p99", Section.WHY, "Latency p99", "ms", "latency p99 (ms)", true, false,
                            "99th percentile of the load's requests, recorded in ns with HdrHistogram.")),
            f(Table.SUMMARY, "p999_ms", l -> latency(l, LevelResult.Latency::p999Ms), null, null),
            f(Table.SUMMARY, "max_ms", l -> latency(l, LevelResult.Latency::maxMs), ms("max ms"), null),
            f(Table.SUMMARY, "errors", LevelResult::errors, text("errors", 7, "%d"), html("failed requests", "%,d")),
            f(Table.SUMMARY, "timeouts", LevelResult::timeouts, text("t/o", 6, "%d"), html("of them timeouts", "%,d"))
                    .charted(new Chart("timeouts", Section.DETAIL, "Request timeouts", "requests", "requests", false, false,
                            "Requests unanswered within the request timeout.")),
            f(Table.SUMMARY, "connect_failures", LevelResult::connectsFailed, null, html("failed connects", "%,d"))
                    .charted(new Chart("connect-failures", Section.DETAIL, "Connect failures", "connects", "connects", false, false,
                            "Connects that failed during the level (refused, reset or timed out).")),
            f(Table.SUMMARY, "server_threads", LevelResult::serverThreads, text("srv thr", 7, "%d"), html("server threads", "%,d"))
                    .charted(new Chart("threads", Section.ANSWER, "Server threads", "threads", "threads", true, true,
                            "The server process's threads at the window's peak, as the kernel counts them (/proc/PID/status) "
                                    + "where it runs on this machine, else as its INFO says: a JVM's include its GC and "
                                    + "compiler threads; virtual threads are not threads of their own, their carriers are.")),
            f(Table.SUMMARY, "server_rss_mib", LevelResult::serverRssMib, new Shown("RSS MiB", 8, MILLIS), html("RSS MiB", "%,.1f"))
                    .charted(new Chart("rss", Section.ANSWER, "Server memory (RSS)", "MiB", "RSS (MiB)", false, true,
                            "Peak resident set size during the measured window (VmRSS). KiB per connection is in the table.")),
            f(Table.SUMMARY, "server_kib_per_connection", LevelResult::serverKibPerConnection, new Shown("KiB/conn", 8, MILLIS),
                    html("KiB/conn", "%,.1f")),
            f(Table.SUMMARY, "server_cpu_us_per_req", LevelResult::serverCpuUsPerRequest, new Shown("CPU us/req", 10, MILLIS),
                    html("CPU µs/req", "%,.1f"))
                    .charted(new Chart("cpu", Section.WHY, "Server CPU per request", "µs", "CPU per request (µs)", true, true,
                            "Server process CPU time (user + system) over the window, divided by the server's own count of the "
                                    + "load's requests in it; the costs table splits it into user and system.")),
            f(Table.SUMMARY, "client_cpu_percent", LevelResult::clientCpuPercent, null, null),
            f(Table.SUMMARY, "sent_rps", l -> l.window().sentRps(), null, html("sent/s", "%,.1f")),
            f(Table.SUMMARY, "intended_rps", l -> l.window().intendedRps(), null, html("planned/s (open model)", "%,.1f")),
            f(Table.SUMMARY, "probe_p50_ms", l -> probe(l, LevelResult.Latency::p50Ms), null, html("probe p50 ms", "%,.2f")),
            f(Table.SUMMARY, "probe_p99_ms", l -> probe(l, LevelResult.Latency::p99Ms), ms("probe p99"), html("probe p99 ms", "%,.2f"))
                    .charted(new Chart("probe", Section.DETAIL, "Probe PING p99", "ms", "probe PING p99 (ms)", true, false,
                            "One extra connection's PING every 100 ms, apart from the load: what a fresh, light client met.")),
            f(Table.SUMMARY, "probe_timeouts", l -> l.probe() == null ? null : l.probe().timeouts(), null, html("probe timeouts", "%,d")),
            f(Table.SUMMARY, "repeats", l -> l.runs().size(), null, null),
            f(Table.SUMMARY, "achieved_min", l -> spread(l, Repeats.Range::min), null, null),
            f(Table.SUMMARY, "achieved_max", l -> spread(l, Repeats.Range::max), null, null),
            f(Table.SUMMARY, "unstable", l -> l.runs().size() < 2 ? null : Repeats.unstable(l) ? 1 : 0, null, null),
            f(Table.SUMMARY, "achieved_range", l -> rangeText(l), new Shown("ach% range", -13, AS_TEXT), null),

            f(Table.COSTS, "server_cpus", l -> cpus(diagnosis(l, d -> d.placement().serverCpus())), text("srv", 5, "%s"), html("server CPUs", "%s")),
            f(Table.COSTS, "client_cpus", l -> cpus(diagnosis(l, d -> d.placement().clientCpus())), text("cli", 5, "%s"), html("client CPUs", "%s")),
            f(Table.COSTS, "machine_cpu_pct", l -> diagnosis(l, d -> d.busy().machineCpuPercent()), null, html("machine busy %", "%.1f")),
            f(Table.COSTS, "server_cpu_pct", l -> diagnosis(l, Diagnosis::serverCpuPercent), text("srv%", 5, "%.0f"),
                    html("server CPU %", "%.1f")),
            f(Table.COSTS, "client_cpu_pct", l -> diagnosis(l, Diagnosis::clientCpuPercent), text("cli%", 5, "%.0f"),
                    html("client CPU %", "%.1f")),
            f(Table.COSTS, "bound", l -> diagnosis(l, Diagnosis::bound), new Shown("bound", -10, AS_TEXT),
                    new Shown("bound", 0, v -> v == Bound.CLIENT_CPU ? Bound.CLIENT_CPU.label + " — measures the load client, not the server"
                            : AS_TEXT.apply(v))),
            f(Table.COSTS, "steal_pct", l -> diagnosis(l, d -> d.busy().stealPercent()), text("steal%", 6, "%.1f"), html("steal %", "%.1f")),
            f(Table.COSTS, "other_cpu_pct", l -> diagnosis(l, d -> d.busy().otherCpuPercent()), text("other%", 6, "%.1f"),
                    html("others' CPU %", "%.1f")),
            f(Table.COSTS, "client_lag_p50_ms", l -> diagnosis(l, d -> d.busy().clientLagP50Ms()), null, null),
            f(Table.COSTS, "client_lag_p99_ms", l -> diagnosis(l, d -> d.busy().clientLagP99Ms()), text("lag p99", 8, "%.1f"),
                    html("client lag p99 ms", "%,.1f")),
            f(Table.COSTS, "server_user_us_per_req", l -> diagnosis(l, Diagnosis::serverUserUsPerReq), text("usr us", 7, "%.1f"),
                    html("user µs/req", "%,.1f")),
            f(Table.COSTS, "server_sys_us_per_req", l -> diagnosis(l, Diagnosis::serverSysUsPerReq), text("sys us", 7, "%.1f"),
                    html("system µs/req", "%,.1f")),
            f(Table.COSTS, "ctx_switches_per_req", l -> diagnosis(l, Diagnosis::ctxSwitchesPerReq), text("cs/req", 8, "%.2f"),
                    html("ctx switches/req", "%,.2f"))
                    .charted(new Chart("ctxswitch", Section.WHY, "Context switches per request", "switches",
                            "context switches per request", true, true, "Voluntary and involuntary context switches, summed "
                            + "over the server's threads (/proc/PID/task/*/status, read at the window's edges), per request. A "
                            + "thread that blocks and is woken switches at least twice per request.")),
            f(Table.COSTS, "runqueue_wait_us_per_req", l -> diagnosis(l, Diagnosis::runqueueWaitUsPerReq), text("rq us", 8, "%.1f"),
                    html("run-queue µs/req", "%,.1f"))
                    .charted(new Chart("runqueue", Section.WHY, "Run-queue wait per request", "µs",
                            "run-queue wait per request (µs)", true, true, "Time the server's threads spent runnable but "
                            + "waiting for a CPU (/proc/PID/task/*/schedstat), per request: the cost of more runnable threads "
                            + "than cores.")),
            f(Table.COSTS, "gc_pause_ms_per_s", l -> diagnosis(l, Diagnosis::gcPauseMsPerS), text("gc ms/s", 7, "%.2f"),
                    html("GC ms/s", "%,.2f"))
                    .charted(new Chart("gc", Section.WHY, "GC pause per second", "ms/s", "GC pause (ms per second of window)",
                            false, true, "Stop-the-world collection time per second of the measured window; the longest pause "
                            + "is in the table.")),
            f(Table.COSTS, "gc_max_pause_ms", l -> diagnosis(l, d -> d.jvm().gcMaxPauseMs()), text("gc max", 8, "%.0f"),
                    html("GC max ms", "%,.0f")),
            f(Table.COSTS, "live_heap_kib_per_conn", l -> diagnosis(l, Diagnosis::liveHeapKibPerConn), text("live KiB", 9, "%.2f"),
                    html("live KiB/conn", "%,.2f"))
                    .charted(new Chart("live", Section.WHY, "Live heap per connection", "KiB", "live heap per connection (KiB)",
                            false, true, "Heap after a full collection (MEMORY PURGE) at the level's end, less the same before "
                            + "any load, per connection: what each connection keeps alive, unlike RSS, which shows how far the "
                            + "heap was let grow.")),
            f(Table.COSTS, "sleep_overshoot_p50_ms", l -> diagnosis(l, d -> d.jvm().sleepOvershootP50Ms()), text("over p50", 9, "%.2f"),
                    html("SLEEP late p50 ms", "%,.2f")),
            f(Table.COSTS, "sleep_overshoot_p99_ms", l -> diagnosis(l, d -> d.jvm().sleepOvershootP99Ms()), text("over p99", 9, "%.2f"),
                    html("SLEEP late p99 ms", "%,.2f")),

            f(Table.COSTS, "profile_scheduler_pct", l -> profile(l, LevelResult.ProfileFigures::schedulerPct), text("sched%", 7, "%.1f"),
                    html("CPU in scheduler %", "%.1f"))
                    .charted(new Chart("profile-scheduler", Section.WHY, "Server CPU in the kernel's scheduler", "%",
                            "share of the server's CPU samples (%)", false, false, "With --profile: the share of the server's "
                            + "CPU samples whose leaf-most telling frame is the kernel's scheduler (schedule, futex, context "
                            + "switch, waking a thread), from async-profiler's perf_events stacks (perf's for other servers).")),
            f(Table.COSTS, "profile_network_pct", l -> profile(l, LevelResult.ProfileFigures::networkPct), text("net%", 6, "%.1f"),
                    html("CPU in network calls %", "%.1f")),
            f(Table.COSTS, "profile_gc_pct", l -> profile(l, LevelResult.ProfileFigures::gcPct), null, html("CPU in GC %", "%.1f")),
            f(Table.COSTS, "profile_jit_pct", l -> profile(l, LevelResult.ProfileFigures::jitPct), null, html("CPU in JIT %", "%.1f")),
            f(Table.COSTS, "profile_netplay_pct", l -> profile(l, LevelResult.ProfileFigures::netplayPct), null,
                    html("CPU in netplay code %", "%.1f")),
            f(Table.COSTS, "profile_engine", l -> profile(l, LevelResult.ProfileFigures::engine), null, null),

            f(Table.BACKEND, "backend_calls_rps", l -> backend(l, LevelResult.BackendUse::callsRps), text("calls/s", 9, "%.0f"),
                    html("backend calls/s", "%,.0f")),
            f(Table.BACKEND, "backend_cpu_percent", l -> backend(l, LevelResult.BackendUse::cpuPercent), text("CPU %", 6, "%.1f"),
                    html("backend CPU %", "%.1f")),
            f(Table.BACKEND, "backend_cpu_us_per_call", l -> backend(l, LevelResult.BackendUse::cpuUsPerCall), text("us/call", 8, "%.1f"),
                    html("µs a call", "%,.1f")),
            f(Table.BACKEND, "backend_connections", l -> backend(l, LevelResult.BackendUse::connections), text("conns", 7, "%d"),
                    html("backend connections", "%,d")),
            f(Table.BACKEND, "backend_sleep_late_p99_ms", l -> backend(l, LevelResult.BackendUse::sleepLateP99Ms),
                    text("late p99", 9, "%.1f"), html("its SLEEP late p99 ms", "%,.2f")));

    /** One request of a level's mix, and its figures. */
    public record CommandRow(String request, LevelResult.CommandFigures figures) {
        /** The rows of {@code level}, in the mix's order; none without a mix. */
        public static List<CommandRow> of(LevelResult level) {
            return level.byCommand() == null ? List.of()
                    : level.byCommand().entrySet().stream().map(e -> new CommandRow(e.getKey(), e.getValue())).toList();
        }
    }

    /** With {@code --mix}: each request's own figures per level (results-by-command.csv, a table in text and HTML). */
    public static final List<Figure<CommandRow>> BY_COMMAND = List.of(
            new Figure<>(Table.BY_COMMAND, "request", CommandRow::request, new Shown("request", -20, AS_TEXT),
                    new Shown("request", 0, AS_TEXT)),
            new Figure<>(Table.BY_COMMAND, "requests", r -> r.figures().requests(), text("requests", 10, "%d"), html("requests", "%,d")),
            new Figure<>(Table.BY_COMMAND, "throughput_rps", r -> r.figures().throughputRps(), text("req/s", 9, "%.1f"),
                    html("req/s", "%,.1f")),
            new Figure<>(Table.BY_COMMAND, "p50_ms", r -> command(r, LevelResult.Latency::p50Ms), text("p50 ms", 9, "%.1f"),
                    html("p50 ms", "%,.1f")),
            new Figure<>(Table.BY_COMMAND, "p90_ms", r -> command(r, LevelResult.Latency::p90Ms), text("p90 ms", 9, "%.1f"), null),
            new Figure<>(Table.BY_COMMAND, "p99_ms", r -> command(r, LevelResult.Latency::p99Ms), text("p99 ms", 9, "%.1f"),
                    html("p99 ms", "%,.1f")),
            new Figure<>(Table.BY_COMMAND, "p999_ms", r -> command(r, LevelResult.Latency::p999Ms), null, null),
            new Figure<>(Table.BY_COMMAND, "max_ms", r -> command(r, LevelResult.Latency::maxMs), text("max ms", 9, "%.1f"),
                    html("max ms", "%,.1f")));

    /** One host's part of a merged level ({@code client merge}), with its share of the level's throughput. */
    public record HostRow(LevelResult.HostShare host, Double sharePercent) {
        /** The rows of {@code level}, in the merge's order of hosts; none for a level of one host. */
        public static List<HostRow> of(LevelResult level) {
            if (level.hosts() == null) {
                return List.of();
            }
            double total = level.throughputRps();
            return level.hosts().stream().map(h -> new HostRow(h, total > 0 ? 100 * h.throughputRps() / total : null)).toList();
        }
    }

    /** The per-host table of a merge: each host's connections, throughput and share, p99, errors and lateness. */
    public static final List<Figure<HostRow>> BY_HOST = List.of(
            new Figure<>(Table.BY_HOST, "host", r -> r.host().host(), new Shown("host", -16, AS_TEXT), new Shown("host", 0, AS_TEXT)),
            new Figure<>(Table.BY_HOST, "host_connections", r -> r.host().connections(), text("conns", 7, "%d"), html("connections", "%,d")),
            new Figure<>(Table.BY_HOST, "host_requests", r -> r.host().requests(), text("requests", 10, "%d"), html("requests", "%,d")),
            new Figure<>(Table.BY_HOST, "host_throughput_rps", r -> r.host().throughputRps(), text("req/s", 9, "%.1f"),
                    html("req/s", "%,.1f")),
            new Figure<>(Table.BY_HOST, "host_share_pct", HostRow::sharePercent, text("share%", 7, "%.1f"), html("share %", "%.1f")),
            new Figure<>(Table.BY_HOST, "host_p99_ms", r -> r.host().p99Ms(), text("p99 ms", 9, "%.1f"), html("p99 ms", "%,.1f")),
            new Figure<>(Table.BY_HOST, "host_errors", r -> r.host().errors(), text("errors", 7, "%d"), html("errors", "%,d")),
            new Figure<>(Table.BY_HOST, "host_late_ms", r -> r.host().lateMs(), text("late ms", 8, "%.1f"), html("late ms", "%,.1f")),
            new Figure<>(Table.BY_HOST, "host_note", r -> r.host().note(), new Shown("note", -20, AS_TEXT), new Shown("note", 0, AS_TEXT)));

    /** The figures of {@link #ALL} that have a chart, in order. */
    public static List<Figure<LevelResult>> charted() {
        return ALL.stream().filter(f -> f.chart() != null).toList();
    }

    /** The figures of one table of {@link #ALL}, in order. */
    public static List<Figure<LevelResult>> of(Table table) {
        return ALL.stream().filter(f -> f.table() == table).toList();
    }

    /** Whether {@code level} has a row in {@code table}: the costs need a diagnosis, the backend table a backend. */
    public static boolean hasRow(Table table, LevelResult level) {
        return switch (table) {
            case SUMMARY -> true;
            case COSTS -> level.diagnosis() != null;
            case BACKEND -> level.backend() != null;
            case BY_COMMAND -> level.byCommand() != null && !level.byCommand().isEmpty();
            case BY_HOST -> level.hosts() != null && !level.hosts().isEmpty();
        };
    }

    private static Figure<LevelResult> f(Table table, String csv, Function<LevelResult, Object> value, Shown text, Shown html) {
        return new Figure<>(table, csv, value, text, html);
    }

    private static Object command(CommandRow r, Function<LevelResult.Latency, Double> part) {
        return r.figures().latency() == null ? null : part.apply(r.figures().latency());
    }

    private static Shown text(String header, int width, String pattern) {
        return new Shown(header, width, printf(pattern));
    }

    private static Shown ms(String header) {
        return new Shown(header, 9, MILLIS);
    }

    private static Shown html(String header, String pattern) {
        return new Shown(header, 0, printf(pattern));
    }

    private static Object latency(LevelResult l, Function<LevelResult.Latency, Double> part) {
        return l.latency() == null ? null : part.apply(l.latency());
    }

    private static Object probe(LevelResult l, Function<LevelResult.Latency, Double> part) {
        return l.probe() == null || l.probe().latency() == null ? null : part.apply(l.probe().latency());
    }

    /** A bound of the repeats' C/D shares; null for a level measured once. */
    private static Object spread(LevelResult l, Function<Repeats.Range, Double> part) {
        Repeats.Range r = l.runs().size() < 2 ? null : Repeats.range(l, LevelResult::achievedRatio);
        return r == null ? null : part.apply(r);
    }

    /** "59.1–97.0" (% of C/D over the repeats), with a "!" when they lie too far apart; null for a level measured once. */
    private static Object rangeText(LevelResult l) {
        Repeats.Range r = l.runs().size() < 2 ? null : Repeats.range(l, LevelResult::achievedRatio);
        return r == null ? null : String.format(java.util.Locale.ROOT, "%.1f-%.1f%s", r.min() * 100, r.max() * 100,
                Repeats.unstable(l) ? " !" : "");
    }

    /**
     * A figure's range over a level's repeats, as its own format writes it ("12.5–40.1"), or null where there is none
     * to show: a level measured once, a figure that is not a number, or repeats that all agree.
     */
    public static String range(Figure<LevelResult> f, Function<Object, String> format, LevelResult l) {
        if (l.runs().size() < 2 || !(f.of(l) instanceof Number)) {
            return null;
        }
        Repeats.Range r = Repeats.range(l, f.value());
        if (r == null || r.min() == r.max()) {
            return null;
        }
        boolean integral = f.of(l) instanceof Long || f.of(l) instanceof Integer;
        Object min = integral ? (Object) Math.round(r.min()) : r.min();
        Object max = integral ? (Object) Math.round(r.max()) : r.max();
        return format.apply(min) + "–" + format.apply(max);
    }

    private static Object diagnosis(LevelResult l, Function<Diagnosis, Object> part) {
        return l.diagnosis() == null ? null : part.apply(l.diagnosis());
    }

    private static Object profile(LevelResult l, Function<LevelResult.ProfileFigures, Object> part) {
        return l.profile() == null ? null : part.apply(l.profile());
    }

    private static Object backend(LevelResult l, Function<LevelResult.BackendUse, Object> part) {
        return l.backend() == null ? null : part.apply(l.backend());
    }

    private static Object cpus(Object list) {
        return list == null ? null : new Figure.CpuSet(list.toString());
    }
}
