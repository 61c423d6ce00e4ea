package dev.netplay.client.load;

import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.TargetResult;
import dev.netplay.client.results.Diagnosis;
import dev.netplay.common.metrics.CpuList;
import dev.netplay.common.metrics.ProcFiles;
import dev.netplay.common.metrics.ProcessMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures one target at every level of the plan. Connections ramp up in place from level to level; a keeper
 * task holds the connection count at the level (re-opening connections that fail or time out, at the ramp rate).
 */
public final class TargetRun {
    private static final long KEEPER_PERIOD_MILLIS = 10;
    private static final long SWEEP_PERIOD_MILLIS = 100;
    private static final long HLOG_INTERVAL_MILLIS = 1_000;
    private static final long PROGRESS_PERIOD_MILLIS = 250;
    /** Largest burst of connects the keeper launches at once, in keeper periods' worth of the ramp rate. */
    private static final double MAX_BURST_PERIODS = 5;
    /** Percentile plot resolution: HdrHistogram's ticks per half distance to 100%. */
    private static final int PERCENTILE_TICKS = 5;
    private static final double NANOS_PER_MS = 1e6;

    private final LoadPlan plan;
    private final Target target;
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelClass;
    private final Progress progress;
    private final Counters counters = new Counters();
    private final Set<LoadConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger connecting = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong connectionIds = new java.util.concurrent.atomic.AtomicLong();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private volatile int desired;
    private volatile boolean stopping;
    private volatile long intervalNanos = 1;
    private volatile String lastConnectionError;
    private double connectBudget;
    private int nextSource;
    private Bootstrap bootstrap;
    private Map<String, Object> launch = Map.of();
    private CpuList serverCpus;
    private CpuList clientCpus;
    private Map<String, String> idleInfoForLevels = Map.of();

    public TargetRun(LoadPlan plan, Target target, EventLoopGroup group, Class<? extends Channel> channelClass, Progress progress) {
        this.plan = plan;
        this.target = target;
        this.group = group;
        this.channelClass = channelClass;
        this.progress = progress;
    }

    LoadPlan plan() {
        return plan;
    }

    Counters counters() {
        return counters;
    }

    boolean stopping() {
        return stopping;
    }

    long intervalNanos() {
        return intervalNanos;
    }

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    void register(LoadConnection c) {
        connections.add(c);
    }

    void unregister(LoadConnection c) {
        connections.remove(c);
    }

    void noteConnectionError(Throwable cause) {
        lastConnectionError = cause.toString();
    }

    /** How the target was started (command line, CPUs), for the results; compare knows it, a plain run does not. */
    public TargetRun launchedAs(Map<String, Object> launch) {
        this.launch = launch;
        return this;
    }

    /** Runs every level; the target must answer the control connection, else this fails before any load. */
    public TargetResult run() throws IOException, InterruptedException {
        List<LevelResult> levels = new ArrayList<>();
        Map<String, String> idleInfo;
        Map<String, Long> totals;
        try (ServerSampler sampler = ServerSampler.open(target, plan.connectTimeout())) {
            long infoBefore;
            synchronized (sampler) {
                idleInfo = sampler.purgeAndSample(); // the live heap before any load: each level's baseline
                infoBefore = sampler.requestsSent();
            }
            clientCpus = ProcessMetrics.allowedCpus();
            serverCpus = cpusOf(idleInfo);
            Long idleRss = ServerSampler.number(idleInfo, "rss_bytes");
            bootstrap = new Bootstrap().group(group).channel(channelClass)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) plan.connectTimeout().toMillis())
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new RedisDecoder(), new LoadConnection(TargetRun.this));
                        }
                    });
            ScheduledFuture<?> keeper = group.next().scheduleAtFixedRate(this::keepConnections, 0, KEEPER_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
            ScheduledFuture<?> sweeper = group.next().scheduleAtFixedRate(this::sweepTimeouts, SWEEP_PERIOD_MILLIS, SWEEP_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
            try {
                idleInfoForLevels = idleInfo;
                for (int level : plan.levels()) {
                    levels.add(runLevel(level, sampler, idleRss));
                }
            } finally {
                stopping = true;
                keeper.cancel(false);
                drain();
                sweeper.cancel(false);
                for (Channel ch : channels) {
                    ch.close();
                }
                for (Channel ch : channels) {
                    ch.closeFuture().await(plan.connectTimeout().toMillis());
                }
            }
            totals = counters.snapshot();
            Long before = ServerSampler.number(idleInfo, "total_commands_processed");
            Long after;
            long infoAfter;
            synchronized (sampler) { // one INFO and its count together: the sampler's own thread may send another
                after = ServerSampler.number(sampler.sample(), "total_commands_processed");
                infoAfter = sampler.requestsSent();
            }
            totals.put("sampler_info_requests", infoAfter - infoBefore);
            totals.put("server_commands", before == null || after == null ? null : after - before);
        }
        return new TargetResult(target.name(), target.hostPort(), idleInfo, levels, totals, launch);
    }

    /** The server's CPUs, read from /proc when it runs on this machine (a loopback target whose INFO gives its pid, as netplay and redis-server do). */
    private CpuList cpusOf(Map<String, String> info) {
        Long pid = ServerSampler.number(info, "pid");
        if (pid == null) {
            pid = ServerSampler.number(info, "process_id"); // redis-server's name for it
        }
        if (pid == null || !target.address().getAddress().isLoopbackAddress()) {
            return null;
        }
        return ProcFiles.allowedCpus(ProcFiles.read(Path.of("/proc", pid.toString(), "status")));
    }

    private static Map<Integer, ProcFiles.CpuTicks> procStat() {
        return ProcFiles.cpuTicks(ProcFiles.read(Path.of("/proc/stat")));
    }

    /** No new requests: waits (up to the request timeout) for the replies still due, so that nothing in flight is cut off. */
    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + plan.timeout().toNanos();
        while (System.nanoTime() < deadline && !connections.stream().allMatch(LoadConnection::isIdle)) {
            Thread.sleep(KEEPER_PERIOD_MILLIS);
        }
    }

    private LevelResult runLevel(int level, ServerSampler sampler, Long idleRss) throws InterruptedException, IOException {
        Map<String, Long> atStart = counters.snapshot();
        counters.connectTime.getIntervalHistogram(); // connects of this level only
        if (plan.openModel()) {
            intervalNanos = Math.max(1, (long) (level * 1e9 / plan.rate()));
        }
        desired = level;

        // Ramp: until the level's connections are up, or they had time enough to be.
        int deficit = Math.max(0, level - active.get());
        long rampDeadline = System.nanoTime() + (long) (deficit * 1e9 / plan.rampRate()) + plan.connectTimeout().toNanos()
                + TimeUnit.SECONDS.toNanos(1);
        while (active.get() < level && System.nanoTime() < rampDeadline) {
            progress.update(line(level, "ramp", null));
            Thread.sleep(KEEPER_PERIOD_MILLIS);
        }
        waitWithProgress(level, "warmup", plan.warmup().toMillis(), null);

        // The measured window: counters and clock start together. The server's INFO comes after, since a server
        // whose event loop is blocked may take seconds to answer it, and that must not stretch the count.
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        counters.latency.getIntervalHistogram();
        counters.uncorrectedLatency.getIntervalHistogram();
        Map<String, Long> windowStart = counters.snapshot();
        long clientCpuStart = ProcessMetrics.processCpuNanos();
        Map<Integer, ProcFiles.CpuTicks> procStatStart = procStat();
        sampler.beginWindow();
        Histogram total = new Histogram(3);
        Histogram uncorrectedTotal = new Histogram(3);
        String hlogName = null;
        HistogramLogWriter hlog = null;
        if (plan.out() != null) {
            hlogName = safe(target.name()) + "-" + level + ".hlog";
            hlog = new HistogramLogWriter(Files.newOutputStream(plan.out().resolve(hlogName)));
            hlog.outputComment("netplay " + target.name() + " " + target.hostPort() + ", " + level
                    + " connections, request '" + plan.request().text() + "'; values in ns");
            hlog.outputLogFormatVersion();
            hlog.setBaseTime(startMillis);
            hlog.outputBaseTime(startMillis);
            hlog.outputStartTime(startMillis);
            hlog.outputLegend();
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
                    hlog.outputIntervalHistogram(interval);
                }
                uncorrectedTotal.add(counters.uncorrectedLatency.getIntervalHistogram());
                nextInterval += TimeUnit.MILLISECONDS.toNanos(HLOG_INTERVAL_MILLIS);
            }
            if (now >= endNanos) {
                break;
            }
            long elapsedMs = (now - startNanos) / 1_000_000;
            progress.update(line(level, "measure " + elapsedMs / 1000 + "/" + plan.duration().toSeconds() + "s", total));
            Thread.sleep(Math.min(PROGRESS_PERIOD_MILLIS, Math.max(1, (Math.min(nextInterval, endNanos) - now) / 1_000_000)));
        }
        double windowSeconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Long> windowEnd = counters.snapshot();
        long clientCpu = ProcessMetrics.processCpuNanos() - clientCpuStart;
        Map<Integer, ProcFiles.CpuTicks> procStatEnd = procStat();
        ServerSampler.Figures server = sampler.endWindow();
        Map<String, String> purged = sampler.purgeAndSample();
        Diagnosis diagnosis = LevelCosts.diagnose(new LevelCosts.Samples(idleInfoForLevels, server.start(), server.end(), purged,
                serverCpus, clientCpus, procStatStart, procStatEnd, clientCpu, windowSeconds, level));
        if (hlog != null) {
            hlog.close();
        }
        LevelResult result = levelResult(level, atStart, windowStart, windowEnd, windowSeconds, total, uncorrectedTotal,
                server, idleRss, clientCpu, hlogName, diagnosis);
        progress.levelDone(line(level, "done", total, result.throughputRps()));
        return result;
    }

    private LevelResult levelResult(int level, Map<String, Long> atStart, Map<String, Long> windowStart, Map<String, Long> windowEnd,
                                    double windowSeconds, Histogram total, Histogram uncorrectedTotal, ServerSampler.Figures server,
                                    Long idleRss, long clientCpuNanos, String hlogName, Diagnosis diagnosis) {
        Map<String, Long> failures = new LinkedHashMap<>();
        for (String cause : List.of("refused", "timed_out", "reset", "err_from_server", "other")) {
            failures.put(cause, windowEnd.get(cause) - atStart.get(cause));
        }
        long failed = failures.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> errors = new LinkedHashMap<>();
        for (String kind : List.of("wrong_reply", "server_error", "closed_mid_request", "timeouts")) {
            errors.put(kind, windowEnd.get(kind) - windowStart.get(kind));
        }
        long errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
        long requests = windowEnd.get("completed") - windowStart.get("completed");
        double throughput = requests / windowSeconds;
        Double ideal = plan.idealThroughput(level);
        Histogram connect = counters.connectTime.getIntervalHistogram();
        boolean anyConnect = connect.getTotalCount() > 0;

        Double rssMib = server.rssPeakBytes() == null ? null : server.rssPeakBytes() / (1024.0 * 1024.0);
        Double kibPerConn = server.rssPeakBytes() == null || idleRss == null ? null
                : (server.rssPeakBytes() - idleRss) / 1024.0 / level;
        Double cpuUsPerReq = server.cpuNanos() == null || requests == 0 ? null : server.cpuNanos() / 1000.0 / requests;
        Double cpuPercent = server.cpuNanos() == null ? null : server.cpuNanos() / (windowSeconds * 1e9) * 100;
        String note = null;
        if (!server.answered()) {
            note = "the target stopped answering INFO during this level" + (lastConnectionError == null ? "" : " (" + lastConnectionError + ")");
        }
        return new LevelResult(level, active.get(), windowEnd.get("attempted") - atStart.get("attempted"), failed, failures,
                anyConnect ? ms(connect.getValueAtPercentile(50)) : null,
                anyConnect ? ms(connect.getValueAtPercentile(99)) : null,
                anyConnect ? ms(connect.getMaxValue()) : null,
                round(windowSeconds, 3), requests, round(throughput, 2), ideal == null ? null : round(ideal, 2),
                ideal == null || ideal == 0 ? null : round(throughput / ideal, 4),
                latency(total), plan.openModel() ? latency(uncorrectedTotal) : null, distribution(total),
                errorCount, errors, errors.get("timeouts"),
                server.threadsPeak(), server.rssPeakBytes(), rssMib == null ? null : round(rssMib, 1),
                kibPerConn == null ? null : round(kibPerConn, 2), server.connectedClients(),
                server.commands() == null ? null : round(server.commands() / windowSeconds, 2),
                cpuUsPerReq == null ? null : round(cpuUsPerReq, 2), cpuPercent == null ? null : round(cpuPercent, 1),
                round(clientCpuNanos / (windowSeconds * 1e9) * 100, 1), hlogName, note, diagnosis);
    }

    private static LevelResult.Latency latency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return null;
        }
        return new LevelResult.Latency(ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                round(h.getMean() / NANOS_PER_MS, 3), h.getTotalCount());
    }

    private static List<double[]> distribution(Histogram h) {
        List<double[]> points = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : h.percentiles(PERCENTILE_TICKS)) {
            points.add(new double[] {round(v.getPercentileLevelIteratedTo(), 5), ms(v.getValueIteratedTo())});
            if (v.getPercentileLevelIteratedTo() >= 99.999) {
                break;
            }
        }
        return points;
    }

    private static double ms(long nanos) {
        return round(nanos / NANOS_PER_MS, 3);
    }

    static double round(double v, int places) {
        double scale = Math.pow(10, places);
        return Math.round(v * scale) / scale;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private String line(int level, String phase, Histogram measured) {
        return line(level, phase, measured, progress.rate(counters.completed.sum()));
    }

    /** The progress line; {@code rate} is the last second's, or the window's once the level is done. */
    private String line(int level, String phase, Histogram measured, double rate) {
        String p99 = measured == null || measured.getTotalCount() == 0 ? "-"
                : String.format(Locale.ROOT, "%.1f ms", measured.getValueAtPercentile(99) / NANOS_PER_MS);
        long errors = counters.wrongReplies.sum() + counters.serverErrors.sum() + counters.closedMidRequest.sum() + counters.timeouts.sum();
        return String.format(Locale.ROOT, "%-10s %6d conns  up %6d  %-14s req/s %9.1f  p99 %10s  errors %d",
                target.name(), level, active.get(), phase, rate, p99, errors);
    }

    private void waitWithProgress(int level, String phase, long millis, Histogram h) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            progress.update(line(level, phase, h));
            Thread.sleep(Math.min(PROGRESS_PERIOD_MILLIS, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    /** Holds the connection count at the level, opening at most the ramp rate's worth per period. */
    private void keepConnections() {
        if (stopping) {
            return;
        }
        double perPeriod = plan.rampRate() * KEEPER_PERIOD_MILLIS / 1000.0;
        connectBudget = Math.min(connectBudget + perPeriod, Math.max(1, perPeriod * MAX_BURST_PERIODS));
        int deficit = desired - active.get() - connecting.get();
        int n = (int) Math.min(deficit, Math.floor(connectBudget));
        for (int i = 0; i < n; i++) {
            connectOne();
        }
        if (n > 0) {
            connectBudget -= n;
        }
    }

    private void connectOne() {
        connecting.incrementAndGet();
        counters.connectAttempted.increment();
        long start = System.nanoTime();
        ChannelFuture f;
        if (plan.sourceAddresses().isEmpty()) {
            f = bootstrap.connect(target.address());
        } else {
            InetSocketAddress local = new InetSocketAddress(plan.sourceAddresses().get(nextSource++ % plan.sourceAddresses().size()), 0);
            f = bootstrap.connect(target.address(), local);
        }
        f.addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                counters.connectEstablished.increment();
                counters.connectTime.recordValue(System.nanoTime() - start);
                active.incrementAndGet();
                Channel ch = done.channel();
                channels.add(ch);
                ch.closeFuture().addListener(closed -> {
                    active.decrementAndGet();
                    channels.remove(ch);
                });
            } else {
                classify(done.cause());
            }
            connecting.decrementAndGet();
        });
    }

    private void classify(Throwable cause) {
        lastConnectionError = cause.toString();
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause instanceof ConnectTimeoutException || message.contains("timed out")) {
            counters.connectTimedOut.increment();
        } else if (message.contains("refused")) {
            counters.connectRefused.increment();
        } else if (message.contains("reset")) {
            counters.connectReset.increment();
        } else if (cause instanceof ConnectException) {
            counters.connectRefused.increment();
        } else {
            counters.connectOther.increment();
        }
    }

    private void sweepTimeouts() {
        long now = System.nanoTime();
        long timeout = plan.timeout().toNanos();
        for (LoadConnection c : connections) {
            if (c.isOverdue(now, timeout)) {
                c.timeOut();
            }
        }
    }
}
