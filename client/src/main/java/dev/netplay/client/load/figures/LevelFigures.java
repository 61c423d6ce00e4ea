package dev.netplay.client.load.figures;

import dev.netplay.client.load.measure.MeasurementWindow;
import dev.netplay.client.load.sample.BackendInfo;
import dev.netplay.client.load.sample.ServerWindow;
import dev.netplay.client.results.Diagnosis;
import dev.netplay.client.results.LevelResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A level's figures from its samples: a pure function, so every figure can be checked on made-up samples. */
public final class LevelFigures {
    /** Percentile plot resolution: HdrHistogram's ticks per half distance to 100%. */
    private static final int PERCENTILE_TICKS = 5;
    private static final double NANOS_PER_MS = 1e6;
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;
    static final List<String> CONNECT_FAILURES = List.of("refused", "timed_out", "reset", "err_from_server", "other");
    static final List<String> ERROR_KINDS = List.of("wrong_reply", "server_error", "closed_mid_request", "timeouts");

    /**
     * Everything one level measured: the one record from which {@link #of} computes all its figures.
     *
     * @param levelStart    the counters when the level began (before its ramp): connects count from there
     * @param connects      connect times over the level
     * @param idleRssBytes  the server's RSS before any load; null where unknown
     * @param idealRps      Little's law, C / D; null where the request has no fixed duration
     * @param connectError  the last connection error seen, for the note if the server stopped answering
     * @param edges         what was read at the window's edges for the diagnosis; null where none was
     * @param backendBefore the backend's INFO at the window's start; null without a backend
     * @param backendAfter  the same at its end
     * @param intendedRps   the open model's planned rate; null in the closed model
     */
    public record Samples(int level, int connectionsUp, Map<String, Long> levelStart, MeasurementWindow.Measured window,
                   Histogram connects, Long idleRssBytes, Double idealRps, boolean openModel, String connectError,
                   LevelCosts.Edges edges, Map<String, String> backendBefore, Map<String, String> backendAfter,
                   Double intendedRps) {
        Samples(int level, int connectionsUp, Map<String, Long> levelStart, MeasurementWindow.Measured window,
                Histogram connects, Long idleRssBytes, Double idealRps, boolean openModel, String connectError,
                LevelCosts.Edges edges, Map<String, String> backendBefore, Map<String, String> backendAfter) {
            this(level, connectionsUp, levelStart, window, connects, idleRssBytes, idealRps, openModel, connectError, edges,
                    backendBefore, backendAfter, null);
        }
    }

    private LevelFigures() {
    }

    public static LevelResult of(Samples s) {
        MeasurementWindow.Measured w = s.window();
        Map<String, Long> failures = differences(CONNECT_FAILURES, s.levelStart(), w.countersEnd());
        Map<String, Long> errors = differences(ERROR_KINDS, w.countersStart(), w.countersEnd());
        long requests = w.countersEnd().get("completed") - w.countersStart().get("completed");
        double throughput = requests / w.seconds();
        boolean anyConnect = s.connects().getTotalCount() > 0;
        LevelResult.Connects connects = new LevelResult.Connects(s.level(), s.connectionsUp(),
                w.countersEnd().get("attempted") - s.levelStart().get("attempted"), sum(failures), failures,
                anyConnect ? ms(s.connects().getValueAtPercentile(50)) : null,
                anyConnect ? ms(s.connects().getValueAtPercentile(99)) : null,
                anyConnect ? ms(s.connects().getMaxValue()) : null);
        long sent = w.countersEnd().get("sent") - w.countersStart().get("sent");
        LevelResult.Window window = new LevelResult.Window(round(w.seconds(), 3), requests, round(throughput, 2),
                s.idealRps() == null ? null : round(s.idealRps(), 2),
                s.idealRps() == null || s.idealRps() == 0 ? null : round(throughput / s.idealRps(), 4),
                round(sent / w.seconds(), 2), s.intendedRps());
        LevelResult.Latencies latencies = new LevelResult.Latencies(latency(w.latency()),
                s.openModel() ? latency(w.uncorrectedLatency()) : null, distribution(w.latency()));
        LevelResult.Errors errorFigures = new LevelResult.Errors(sum(errors), errors, errors.get("timeouts"));

        ServerWindow.Figures server = w.server();
        Long rss = server.rssPeakBytes();
        LevelResult.ServerUse use = new LevelResult.ServerUse(server.threadsPeak(), rss,
                rss == null ? null : round(rss / BYTES_PER_MIB, 1),
                rss == null || s.idleRssBytes() == null ? null : round((rss - s.idleRssBytes()) / 1024.0 / s.level(), 2),
                server.connectedClients(),
                server.commands() == null ? null : round(server.commands() / w.seconds(), 2));
        String note = server.answered() ? null : "the target stopped answering INFO during this level"
                + (s.connectError() == null ? "" : " (" + s.connectError() + ")");
        Map<String, LevelResult.CommandFigures> byCommand = null;
        if (w.byCommand() != null && !w.byCommand().isEmpty()) {
            byCommand = new LinkedHashMap<>();
            for (Map.Entry<String, MeasurementWindow.Command> c : w.byCommand().entrySet()) {
                byCommand.put(c.getKey(), new LevelResult.CommandFigures(c.getValue().completed(),
                        round(c.getValue().completed() / w.seconds(), 2), latency(c.getValue().latency())));
            }
        }
        Diagnosis diagnosis = s.edges() == null ? null : LevelCosts.diagnose(s.edges());
        LevelResult result = LevelResult.of(connects, window, latencies, errorFigures, use,
                round(w.clientCpuNanos() / (w.seconds() * 1e9) * 100, 1), w.hlog(), note, diagnosis, byCommand);
        MeasurementWindow.ClientCheck check = w.client();
        if (check != null && check.probe() != null) {
            result = result.withProbe(new LevelResult.ProbeFigures(latency(check.probe()), check.probeSent(), check.probeTimeouts(),
                    check.probeFailures()));
        }
        return s.backendBefore() == null ? result
                : result.withBackend(BackendInfo.window(s.backendBefore(), s.backendAfter(), w.seconds()));
    }

    private static Map<String, Long> differences(List<String> names, Map<String, Long> from, Map<String, Long> to) {
        Map<String, Long> d = new LinkedHashMap<>();
        for (String name : names) {
            d.put(name, to.get(name) - from.get(name));
        }
        return d;
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public static LevelResult.Latency latency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return null;
        }
        return new LevelResult.Latency(ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                round(h.getMean() / NANOS_PER_MS, 3), h.getTotalCount());
    }

    public static List<double[]> distribution(Histogram h) {
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

    public static double ms(long nanos) {
        return round(nanos / NANOS_PER_MS, 3);
    }

    static double round(double v, int places) {
        double scale = Math.pow(10, places);
        return Math.round(v * scale) / scale;
    }
}
