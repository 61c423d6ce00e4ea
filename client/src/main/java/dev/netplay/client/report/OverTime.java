package dev.netplay.client.report;

import dev.netplay.client.results.LevelResult;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A level second by second, from the interval histograms its .hlog holds (one per second of the measured window,
 * values in ns): what a level's one figure hides, a stall or a slow start.
 */
final class OverTime {
    private static final double NANOS_PER_MS = 1_000_000;

    /** One interval: its start (s from the window's start), completions per second, and latency percentiles (ms). */
    record Point(double seconds, double rps, double p50Ms, double p99Ms, double maxMs, long count) {
    }

    /** One level's seconds; {@code label} says whose ("netty @ 10,000, repeat 2"). */
    record Level(String key, String label, String hlog, List<Point> points, boolean fellShort) {
    }

    private OverTime() {
    }

    /** The intervals of one .hlog file; empty if it is missing or unreadable (a report of copied results.json alone). */
    static List<Point> read(Path hlog) {
        List<Point> points = new ArrayList<>();
        if (hlog == null || !Files.isRegularFile(hlog)) {
            return points;
        }
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
            double first = Double.NaN;
            EncodableHistogram e;
            while ((e = reader.nextIntervalHistogram()) != null) {
                if (!(e instanceof Histogram h)) {
                    continue;
                }
                double start = h.getStartTimeStamp() / 1000.0;
                double end = h.getEndTimeStamp() / 1000.0;
                if (Double.isNaN(first)) {
                    first = start;
                }
                double length = end - start;
                long count = h.getTotalCount();
                points.add(new Point(round(start - first), length > 0 ? round(count / length) : 0,
                        count == 0 ? 0 : round(h.getValueAtPercentile(50) / NANOS_PER_MS),
                        count == 0 ? 0 : round(h.getValueAtPercentile(99) / NANOS_PER_MS),
                        count == 0 ? 0 : round(h.getMaxValue() / NANOS_PER_MS), count));
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // a log cut short or not HdrHistogram's: no chart rather than a wrong one
        }
        return points;
    }

    /** Every level (and every repeat of it) of the series that has an .hlog in {@code dir}. */
    static List<Level> of(Series s, Path dir) {
        List<Level> out = new ArrayList<>();
        if (dir == null) {
            return out;
        }
        for (LevelResult l : s.levels()) {
            for (LevelResult run : l.runs()) {
                if (run.hlog() == null) {
                    continue;
                }
                List<Point> points = read(dir.resolve(run.hlog()));
                if (points.isEmpty()) {
                    continue;
                }
                String repeat = l.runs().size() > 1 && run.repeat() != null ? ", repeat " + run.repeat() : "";
                out.add(new Level(s.label() + "@" + l.connections() + (run.repeat() == null ? "" : "r" + run.repeat()),
                        String.format(java.util.Locale.ROOT, "%s @ %,d connections%s", s.label(), l.connections(), repeat),
                        run.hlog(), points, run.achievedRatio() != null && run.achievedRatio() < Findings.BENT));
            }
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
