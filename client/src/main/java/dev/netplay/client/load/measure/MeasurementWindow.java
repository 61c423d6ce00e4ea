package dev.netplay.client.load.measure;

import dev.netplay.client.load.connect.Counters;
import dev.netplay.client.load.connect.Probe;
import dev.netplay.client.load.plan.LoadPlan;
import dev.netplay.client.load.plan.Target;
import dev.netplay.client.load.sample.InfoPoller;
import dev.netplay.client.load.sample.KernelView;
import dev.netplay.client.load.sample.ServerWindow;
import dev.netplay.client.results.ResultsFiles;
import dev.netplay.common.metrics.ProcFiles;
import dev.netplay.common.metrics.ProcessSnapshot;
import dev.netplay.common.metrics.ProcessMetrics;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One measured window: the counters, the latency recorders and the clock start together, then the server's INFO
 * (after, since a server whose event loop is blocked may take seconds to answer it, and that must not stretch the
 * count); the latency is collected each second (and written to the level's HdrHistogram log); at the end the same
 * edges in the same order.
 */
public final class MeasurementWindow {
    private static final long HLOG_INTERVAL_MILLIS = 1_000;
    private static final long PROGRESS_PERIOD_MILLIS = 250;
    private static final Path PROC = Path.of("/proc");

    /** What one window measured: the raw material of {@link LevelFigures}. */
    public record Measured(double seconds, Map<String, Long> countersStart, Map<String, Long> countersEnd, Histogram latency,
                   Histogram uncorrectedLatency, long clientCpuNanos, Map<Integer, ProcFiles.CpuTicks> procStatStart,
                   Map<Integer, ProcFiles.CpuTicks> procStatEnd, Map<Long, Long> processesStart,
                   Map<Long, Long> processesEnd, ServerWindow.Figures server, String hlog,
                   Map<String, Command> byCommand, ClientCheck client, ProcessSnapshot serverStart, ProcessSnapshot serverEnd) {
    }

    /**
     * The load client checked over the window: its own lag (open model: each send against its plan; closed model: its
     * event loops' lateness, see {@link LoopLag}) and the probe's PINGs (see {@link Probe}; null without a probe).
     */
    public record ClientCheck(Histogram lag, boolean sendLag, Histogram probe, long probeSent, long probeTimeouts, long probeFailures) {
    }

    /** With a mix: one request's completions and latency in the window. */
    public record Command(long completed, Histogram latency) {
    }

    private final LoadPlan plan;
    private final Target target;
    /** The server's process where it runs on this machine: read from /proc at the window's edges; null otherwise. */
    private Long serverPid;
    private final Counters counters;
    private final InfoPoller poller;
    private final ServerWindow server;
    private final LoopLag loopLag;
    private final Probe probe;
    /** Added to the level's file names: a repeat's own ("-r2"), or nothing. */
    private final String fileTag;

    public MeasurementWindow(LoadPlan plan, Target target, Counters counters, InfoPoller poller, ServerWindow server,
                      LoopLag loopLag, Probe probe, String fileTag) {
        this.plan = plan;
        this.target = target;
        this.counters = counters;
        this.poller = poller;
        this.server = server;
        this.loopLag = loopLag;
        this.probe = probe;
        this.fileTag = fileTag;
    }

    /** From now, the server's readings are kept for the level's timeline file (call at the level's ramp). */
    public void startLevel() {
        server.startTimeline();
    }

    /** The recorder of the client's lag in this plan's model. */
    private Recorder lagRecorder() {
        return plan.openModel() ? counters.sendLag : loopLag.lag;
    }

    /**
     * Measures for the plan's duration; {@code before} holds the ramp's and warm-up's intervals, written into the .hlog
     * ahead of the window's (null: none); {@code progress} gets the phase and the latency so far, a few times a second.
     */
    public Measured measure(int level, PhaseIntervals before, BiConsumer<String, Histogram> progress) throws IOException, InterruptedException {
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        counters.latency.getIntervalHistogram();
        if (counters.raw != null) {
            counters.raw.open();
        }
        counters.uncorrectedLatency.getIntervalHistogram();
        counters.byCommand.values().forEach(c -> c.latency.getIntervalHistogram()); // this window's latencies only
        lagRecorder().getIntervalHistogram();
        long[] probeStart = probe == null ? null : new long[] {probe.sent.sum(), probe.timeouts.sum(), probe.failures.sum()};
        if (probe != null) {
            probe.latency.getIntervalHistogram();
        }
        Map<String, Long> countersStart = counters.snapshot();
        long clientCpuStart = ProcessMetrics.processCpuNanos();
        Map<Integer, ProcFiles.CpuTicks> procStatStart = procStat();
        Map<Long, Long> processesStart = ProcFiles.userProcessNanos(PROC);
        server.begin(KernelView.of(poller.everything().info(), serverPid));
        ProcessSnapshot serverStart = serverPid == null ? null : ProcessSnapshot.read(serverPid); // after INFO: its cost is before
        Histogram total = new Histogram(3);
        Histogram uncorrectedTotal = new Histogram(3);
        String hlogName = plan.out() == null ? null : ResultsFiles.hlogName(target.name(), level, fileTag);
        try (HlogFile hlog = hlogName == null ? null : new HlogFile(plan.out().resolve(hlogName),
                before == null ? startMillis : before.startMillis(),
                "netplay " + target.name() + " " + target.hostPort() + ", " + level + " connections, request '"
                        + plan.requestText() + "'; values in ns; intervals tagged ramp and warmup come before the "
                        + "measured window, whose intervals have no tag")) {
            if (hlog != null && before != null) {
                for (Histogram h : before.intervals()) {
                    hlog.writer.outputIntervalHistogram(h);
                }
            }
            Histogram interval = null;
            long endNanos = startNanos + plan.duration().toNanos();
            long nextInterval = startNanos + TimeUnit.MILLISECONDS.toNanos(HLOG_INTERVAL_MILLIS);
            while (true) {
                long now = System.nanoTime();
                if (now >= nextInterval || now >= endNanos) {
                    interval = counters.latency.getIntervalHistogram(interval);
                    total.add(interval);
                    if (hlog != null) {
                        hlog.writer.outputIntervalHistogram(interval);
                    }
                    uncorrectedTotal.add(counters.uncorrectedLatency.getIntervalHistogram());
                    nextInterval += TimeUnit.MILLISECONDS.toNanos(HLOG_INTERVAL_MILLIS);
                }
                if (now >= endNanos) {
                    if (counters.raw != null) {
                        counters.raw.close();
                    }
                    break;
                }
                long elapsedMs = (now - startNanos) / 1_000_000;
                progress.accept("measure " + elapsedMs / 1000 + "/" + plan.duration().toSeconds() + "s", total);
                Thread.sleep(Math.min(PROGRESS_PERIOD_MILLIS, Math.max(1, (Math.min(nextInterval, endNanos) - now) / 1_000_000)));
            }
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Long> countersEnd = counters.snapshot();
        long clientCpu = ProcessMetrics.processCpuNanos() - clientCpuStart;
        Map<Integer, ProcFiles.CpuTicks> procStatEnd = procStat();
        Map<Long, Long> processesEnd = ProcFiles.userProcessNanos(PROC);
        Map<String, Command> byCommand = new LinkedHashMap<>();
        counters.byCommand.forEach((name, c) -> byCommand.put(name, new Command(
                countersEnd.get(Counters.completedKey(name)) - countersStart.get(Counters.completedKey(name)),
                c.latency.getIntervalHistogram())));
        ClientCheck client = probe == null ? new ClientCheck(lagRecorder().getIntervalHistogram(), plan.openModel(), null, 0, 0, 0)
                : new ClientCheck(lagRecorder().getIntervalHistogram(), plan.openModel(), probe.latency.getIntervalHistogram(),
                probe.sent.sum() - probeStart[0], probe.timeouts.sum() - probeStart[1], probe.failures.sum() - probeStart[2]);
        Map<String, String> last = poller.everything().info();
        ServerWindow.Figures figures = server.end(KernelView.of(last, serverPid), !last.isEmpty());
        ProcessSnapshot serverEnd = serverPid == null ? null : ProcessSnapshot.read(serverPid);
        if (hlogName != null) {
            writeTimeline(plan.out().resolve(ResultsFiles.timelineName(hlogName)), server.takeTimeline());
        }
        return new Measured(seconds, countersStart, countersEnd, total, uncorrectedTotal, clientCpu, procStatStart, procStatEnd,
                processesStart, processesEnd, figures, hlogName, byCommand, client, serverStart, serverEnd);
    }

    /** Reads the server's process {@code pid} from /proc at each window's edges (null: none, its INFO alone). */
    public void watchProcess(Long pid) {
        this.serverPid = pid;
    }

    /** The server's once-a-second INFO over the level, ramp and warm-up included, for the report's charts over time. */
    private static void writeTimeline(Path file, List<long[]> rows) throws IOException {
        StringBuilder t = new StringBuilder("# the server's INFO about once a second over a level, its ramp and warm-up included; "
                + "-1: not reported\nclient_epoch_ms");
        ServerWindow.TIMELINE.forEach(f -> t.append('\t').append(f.key()));
        t.append('\n');
        for (long[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                t.append(i == 0 ? "" : "\t").append(row[i]);
            }
            t.append('\n');
        }
        Files.writeString(file, t);
    }

    private static Map<Integer, ProcFiles.CpuTicks> procStat() {
        return ProcFiles.cpuTicks(ProcFiles.read(PROC.resolve("stat")));
    }

    /** A level's HdrHistogram interval log, headed as HdrHistogram's own tools expect. */
    private static final class HlogFile implements AutoCloseable {
        final HistogramLogWriter writer;

        HlogFile(Path file, long startMillis, String comment) throws IOException {
            writer = new HistogramLogWriter(Files.newOutputStream(file));
            writer.outputComment(comment);
            writer.outputLogFormatVersion();
            writer.setBaseTime(startMillis);
            writer.outputBaseTime(startMillis);
            writer.outputStartTime(startMillis);
            writer.outputLegend();
        }

        @Override
        public void close() {
            writer.close();
        }
    }
}
