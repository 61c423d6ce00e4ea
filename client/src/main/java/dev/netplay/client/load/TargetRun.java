package dev.netplay.client.load;

import dev.netplay.client.load.connect.ConnectionKeeper;
import dev.netplay.client.load.connect.Counters;
import dev.netplay.client.load.connect.Probe;
import dev.netplay.client.load.connect.RawLatencies;
import dev.netplay.client.load.figures.LevelCosts;
import dev.netplay.client.load.figures.LevelFigures;
import dev.netplay.client.load.measure.LoopLag;
import dev.netplay.client.load.measure.MeasurementWindow;
import dev.netplay.client.load.measure.PhaseIntervals;
import dev.netplay.client.load.plan.LoadPlan;
import dev.netplay.client.load.plan.StartSchedule;
import dev.netplay.client.load.plan.Target;
import dev.netplay.client.load.sample.BackendInfo;
import dev.netplay.client.load.sample.ClockOffset;
import dev.netplay.client.load.sample.InfoPoller;
import dev.netplay.client.load.sample.KernelView;
import dev.netplay.client.load.sample.ServerWindow;
import dev.netplay.common.protocol.InfoField;
import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.TargetResult;
import dev.netplay.common.metrics.CpuList;
import dev.netplay.common.metrics.ProcFiles;
import dev.netplay.common.metrics.ProcessMetrics;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.netplay.common.protocol.InfoText.number;

/**
 * Measures one target at every level of the plan: the keeper ramps the connections up in place from level to level,
 * each level warms up, then one window is measured and turned into the level's figures.
 */
public final class TargetRun {
    private static final long PROGRESS_PERIOD_MILLIS = 250;
    private static final double NANOS_PER_MS = 1e6;

    private final LoadPlan plan;
    private final Target target;
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelClass;
    private final Progress progress;
    private final Counters counters;
    private Map<String, Object> launch = Map.of();
    /** The backend the target calls (FETCH, GATHER), read at each window's edges; null: none watched. */
    private java.net.InetSocketAddress backend;
    private int repeat;
    /** Which of the plan's targets this is: its place on a schedule fixed in time. */
    private int targetIndex;
    /** Profiles the server over each window ({@code compare --profile}); null: none taken. */
    private dev.netplay.client.profile.WindowProfiler profiler;
    /** The server's pid, once known: what the profiler samples. */
    private Long serverPid;

    public TargetRun(LoadPlan plan, Target target, EventLoopGroup group, Class<? extends Channel> channelClass, Progress progress) {
        this.plan = plan;
        this.target = target;
        this.group = group;
        this.channelClass = channelClass;
        this.progress = progress;
        this.counters = new Counters(plan.mix() == null ? List.of()
                : plan.mix().entries().stream().map(e -> e.spec().text()).toList());
    }

    /** How the target was started (command line, CPUs), for the results; compare knows it, a plain run does not. */
    public TargetRun launchedAs(Map<String, Object> launch) {
        this.launch = launch;
        return this;
    }

    /** Reads {@code backend}'s INFO at each window's edges, for the levels' backend figures. */
    public TargetRun watchingBackend(java.net.InetSocketAddress backend) {
        this.backend = backend;
        return this;
    }

    /** This run's repeat of the target (1, 2 ...): its files are named by it; 0 (the default) for a target run once. */
    public TargetRun repeat(int n) {
        this.repeat = n;
        return this;
    }

    /** This is the plan's target number {@code index} (0, 1 ...): with {@code --start-at}, its levels' slots follow the earlier targets'. */
    public TargetRun targetIndex(int index) {
        this.targetIndex = index;
        return this;
    }

    /** Profiles the server over each level's window with {@code profiler}; null: none. */
    public TargetRun profiledBy(dev.netplay.client.profile.WindowProfiler profiler) {
        this.profiler = profiler;
        return this;
    }

    /** Runs every level; the target must answer the control connection, else this fails before any load. */
    public TargetResult run() throws IOException, InterruptedException {
        if (plan.rawLatencies() != null && counters.raw == null) {
            counters.raw = new RawLatencies(plan.rawLatencies());
        }
        List<LevelResult> levels = new ArrayList<>();
        ServerWindow serverWindow = new ServerWindow();
        java.util.concurrent.atomic.AtomicReference<Long> pid = new java.util.concurrent.atomic.AtomicReference<>(target.pid());
        try (InfoPoller poller = InfoPoller.open(target, plan.connectTimeout(), plan.password(),
                reading -> serverWindow.observe(KernelView.of(reading, pid.get())))) {
            InfoPoller.Reading idle = poller.purgeAndInfo(); // the live heap before any load: each level's baseline
            if (pid.get() == null) {
                pid.set(localPid(idle.info(), target.address()));
            }
            serverPid = pid.get();
            Map<String, String> idleInfo = KernelView.of(idle.info(), pid.get()); // RSS before any load, once
            TargetResult.Clock clock = ClockOffset.estimate(poller);
            CpuList clientCpus = ProcessMetrics.allowedCpus();
            CpuList serverCpus = cpusOf(pid.get());
            ConnectionKeeper keeper = new ConnectionKeeper(plan, target, group, channelClass, counters);
            long probePings = 0;
            try (LoopLag loopLag = new LoopLag(group); Probe probe = plan.probe() ? new Probe(target, plan.timeout(), plan.password()).start() : null) {
                MeasurementWindow window = new MeasurementWindow(plan, target, counters, poller, serverWindow, loopLag, probe,
                        repeat == 0 ? "" : "-r" + repeat);
                window.watchProcess(pid.get());
                keeper.start();
                try {
                    for (int i = 0; i < plan.levels().size(); i++) {
                        levels.add(runLevel(i, keeper, window, poller, idleInfo, serverCpus, clientCpus));
                    }
                } finally {
                    keeper.stop();
                }
                probePings = probe == null ? 0 : probe.sent.sum();
            }
            Map<String, Long> totals = counters.snapshot();
            InfoPoller.Reading last = poller.info();
            Long before = InfoField.TOTAL_COMMANDS_PROCESSED.number(idle.info());
            Long after = InfoField.TOTAL_COMMANDS_PROCESSED.number(last.info());
            totals.put("sampler_info_requests", last.requestsSent() - idle.requestsSent());
            totals.put("probe_requests", probePings);
            totals.put("server_commands", before == null || after == null ? null : after - before);
            return new TargetResult(target.name(), target.hostPort(), idle.info(), levels, totals, launch).withClock(clock);
        }
    }

    private LevelResult runLevel(int levelIndex, ConnectionKeeper keeper, MeasurementWindow window, InfoPoller poller,
                                 Map<String, String> idle, CpuList serverCpus, CpuList clientCpus)
            throws InterruptedException, IOException {
        int level = plan.levels().get(levelIndex);
        StartSchedule schedule = plan.schedule();
        java.time.Instant measureDue = schedule == null ? null : schedule.measureStart(targetIndex, levelIndex);
        java.time.Duration lateToBegin = schedule == null ? java.time.Duration.ZERO
                : StartSchedule.waitUntil(schedule.levelStart(targetIndex, levelIndex));
        Map<String, Long> levelStart = counters.snapshot();
        counters.takeFirstWrongReply(); // this level's first wrong reply is quoted, not an earlier one
        counters.connectTime.getIntervalHistogram(); // connects of this level only
        window.startLevel();
        PhaseIntervals phases = new PhaseIntervals(counters.latency);
        keeper.hold(level);
        keeper.awaitRamp(level, () -> {
            phases.tick(PhaseIntervals.RAMP);
            progress.update(line(level, keeper, "ramp", null));
        });
        phases.cut(PhaseIntervals.RAMP);
        // on a schedule, the warmup lasts until the window is due, so that every host measures the same interval
        long warmupEnd = System.nanoTime() + (measureDue == null ? plan.warmup().toNanos()
                : java.time.Duration.between(java.time.Instant.now(), measureDue).toNanos());
        while (System.nanoTime() < warmupEnd) {
            phases.tick(PhaseIntervals.WARMUP);
            progress.update(line(level, keeper, "warmup", null));
            Thread.sleep(Math.min(PROGRESS_PERIOD_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(warmupEnd - System.nanoTime()))));
        }
        phases.cut(PhaseIntervals.WARMUP);
        Map<String, String> backendBefore = backend == null ? null : BackendInfo.read(backend);
        dev.netplay.client.profile.WindowProfiler.Session profile = profiler == null ? null : serverPid == null
                ? dev.netplay.client.profile.WindowProfiler.none("the server's pid is unknown (not on this machine)").start(0, "")
                : profiler.start(serverPid, target.name() + "-" + level + (repeat == 0 ? "" : "-r" + repeat));
        java.time.Instant measureStart = java.time.Instant.now();
        MeasurementWindow.Measured measured = window.measure(level, phases,
                (phase, soFar) -> progress.update(line(level, keeper, phase, soFar)));
        LevelResult.ProfileFigures profiled = profile == null ? null : profile.stop();
        if (counters.raw != null) {
            counters.raw.append(target.name(), level);
        }
        Map<String, String> backendAfter = backend == null ? null : BackendInfo.read(backend);
        Map<String, String> purged = poller.purgeAndInfo().info();
        MeasurementWindow.ClientCheck check = measured.client();
        LevelCosts.Edges edges = new LevelCosts.Edges(idle, measured.server().start(), measured.server().end(),
                purged, serverCpus, clientCpus, measured.procStatStart(), measured.procStatEnd(), measured.clientCpuNanos(),
                measured.seconds(), level, ProcFiles.processNanos(measured.processesStart(), measured.processesEnd(),
                        ours(idle, backendBefore)),
                check.lag().getTotalCount() == 0 ? null : LevelFigures.ms(check.lag().getValueAtPercentile(50)),
                check.lag().getTotalCount() == 0 ? null : LevelFigures.ms(check.lag().getValueAtPercentile(99)),
                check.probeSent(), measured.serverStart(), measured.serverEnd(),
                measured.countersEnd().get("completed") - measured.countersStart().get("completed"));
        LevelResult result = LevelFigures.of(new LevelFigures.Samples(level, keeper.active(), levelStart, measured,
                counters.connectTime.getIntervalHistogram(), InfoField.RSS_BYTES.number(idle), plan.idealThroughput(level),
                plan.openModel(), keeper.lastError(), edges, backendBefore, backendAfter,
                plan.openModel() ? (double) plan.rate() : null));
        if (profiled != null) {
            result = result.withProfile(profiled);
        }
        String wrong = counters.takeFirstWrongReply();
        if (wrong != null) {
            String quoted = "the first wrong reply: '" + wrong + "' to '" + plan.requestText() + "'";
            result = result.withNote(result.note() == null || result.note().isEmpty() ? quoted : result.note() + "; " + quoted);
        }
        if (schedule != null) {
            result = onSchedule(result, measureDue, measureStart, lateToBegin);
        }
        progress.levelDone(line(level, keeper, "done", measured.latency(), result.throughputRps()));
        return result;
    }

    /** The level with its schedule, marked (its note) if this host opened its window late or began the level late. */
    public static LevelResult onSchedule(LevelResult result, java.time.Instant due, java.time.Instant opened,
                                          java.time.Duration lateToBegin) {
        java.time.Duration late = java.time.Duration.between(due, opened);
        double lateMs = Math.max(0, late.toNanos() / NANOS_PER_MS);
        boolean behind = StartSchedule.behind(late) || StartSchedule.behind(lateToBegin);
        LevelResult scheduled = result.withSchedule(new LevelResult.Schedule(due.toString(), opened.toString(), lateMs, behind));
        if (!behind) {
            return scheduled;
        }
        String mark = String.format(Locale.ROOT, "behind its schedule: the level began %d ms late, its window opened %d ms late",
                Math.max(0, lateToBegin.toMillis()), Math.round(lateMs));
        return scheduled.withNote(result.note() == null || result.note().isEmpty() ? mark : result.note() + "; " + mark);
    }

    /** The processes this level runs on this machine: the client, and the server and the backend where they are local. */
    private Set<Long> ours(Map<String, String> serverInfo, Map<String, String> backendInfo) {
        Set<Long> pids = new HashSet<>();
        pids.add(ProcessHandle.current().pid());
        Long server = target.pid() != null ? target.pid() : localPid(serverInfo, target.address());
        if (server != null) {
            pids.add(server);
        }
        Long backendPid = backendInfo == null ? null : localPid(backendInfo, backend);
        if (backendPid != null) {
            pids.add(backendPid);
        }
        return pids;
    }

    /** The pid a local (loopback) server gives in its INFO, as netplay and redis-server do; null if remote or not given. */
    private static Long localPid(Map<String, String> info, java.net.InetSocketAddress address) {
        Long pid = InfoField.PID.number(info);
        if (pid == null) {
            pid = number(info, "process_id"); // redis-server's name for it
        }
        return pid == null || address.getAddress() == null || !address.getAddress().isLoopbackAddress() ? null : pid;
    }

    /** The server's CPUs, read from /proc when it runs on this machine (its pid known: compare started it, or its INFO gives it). */
    private static CpuList cpusOf(Long pid) {
        if (pid == null) {
            return null;
        }
        return ProcFiles.allowedCpus(ProcFiles.read(Path.of("/proc", pid.toString(), "status")));
    }

    private String line(int level, ConnectionKeeper keeper, String phase, Histogram measured) {
        return line(level, keeper, phase, measured, progress.rate(counters.completed.sum()));
    }

    /** The progress line; {@code rate} is the last second's, or the window's once the level is done. */
    private String line(int level, ConnectionKeeper keeper, String phase, Histogram measured, double rate) {
        String p99 = measured == null || measured.getTotalCount() == 0 ? "-"
                : String.format(Locale.ROOT, "%.1f ms", measured.getValueAtPercentile(99) / NANOS_PER_MS);
        long errors = counters.wrongReplies.sum() + counters.serverErrors.sum() + counters.closedMidRequest.sum() + counters.timeouts.sum();
        return String.format(Locale.ROOT, "%-10s %6d conns  up %6d  %-14s req/s %9.1f  p99 %10s  errors %d",
                target.name(), level, keeper.active(), phase, rate, p99, errors);
    }
}
