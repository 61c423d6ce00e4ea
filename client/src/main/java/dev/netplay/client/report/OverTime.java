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

    /**
     * One interval: its start (s from the measured window's start: the ramp and warm-up before it are negative),
     * completions per second, latency percentiles (ms), and its phase ("ramp", "warmup"; null inside the window).
     */
    record Point(double seconds, double rps, Double p50Ms, Double p99Ms, Double maxMs, long count, String phase) {
    }

    /**
     * One interval between two of the server's INFO readings (about a second): its start (s, on the same axis as
     * {@link Point}), the server's CPU (% of one core) and GC pause time (ms per s) over it, its threads and RSS at its end;
     * null where the server does not report them.
     */
    record ServerPoint(double seconds, Double cpuPercent, Double gcMsPerS, Long threads, Double rssMib) {
    }

    /** One level's seconds; {@code label} says whose ("netty @ 10,000, repeat 2"). */
    record Level(String key, String label, String hlog, List<Point> points, List<ServerPoint> server, boolean fellShort) {
    }

    /** A level's log read: its intervals, and the measured window's start (epoch ms), the zero of their axis. */
    private record Log(List<Point> points, long zeroMillis) {
    }

    private OverTime() {
    }

    /** The intervals of one .hlog file; empty if it is missing or unreadable (a report of copied results.json alone). */
    static List<Point> read(Path hlog) {
        return readLog(hlog).points();
    }

    private static Log readLog(Path hlog) {
        List<Point> points = new ArrayList<>();
        if (hlog == null || !Files.isRegularFile(hlog)) {
            return new Log(points, 0);
        }
        List<Histogram> intervals = new ArrayList<>();
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
            EncodableHistogram e;
            while ((e = reader.nextIntervalHistogram()) != null) {
                if (e instanceof Histogram h) {
                    intervals.add(h);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Log(List.of(), 0); // a log cut short or not HdrHistogram's: no chart rather than a wrong one
        }
        // zero is the measured window's first interval (untagged); a log of the window alone starts there
        double zero = intervals.stream().filter(h -> h.getTag() == null).mapToDouble(h -> h.getStartTimeStamp() / 1000.0)
                .findFirst().orElse(intervals.isEmpty() ? 0 : intervals.get(0).getStartTimeStamp() / 1000.0);
        for (Histogram h : intervals) {
            double start = h.getStartTimeStamp() / 1000.0;
            double length = h.getEndTimeStamp() / 1000.0 - start;
            long count = h.getTotalCount();
            points.add(new Point(round(start - zero), length > 0 ? round(count / length) : 0,
                    // a second without completions has no latency: a gap, not a zero (which a log axis cannot draw)
                    count == 0 ? null : round(h.getValueAtPercentile(50) / NANOS_PER_MS),
                    count == 0 ? null : round(h.getValueAtPercentile(99) / NANOS_PER_MS),
                    count == 0 ? null : round(h.getMaxValue() / NANOS_PER_MS), count, h.getTag()));
        }
        return new Log(points, Math.round(zero * 1000));
    }

    /**
     * The server's timeline file of a level (client epoch ms, then uptime_ms, process_cpu_ns, gc_pause_total_ms,
     * threads_live, rss_bytes; -1 where not reported), as intervals between readings on the log's time axis; empty if
     * there is none. Rates use the server's own uptime between readings, not the client's clock.
     */
    static List<ServerPoint> server(Path tsv, long zeroMillis) {
        List<ServerPoint> out = new ArrayList<>();
        if (tsv == null || !Files.isRegularFile(tsv)) {
            return out;
        }
        List<long[]> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(tsv)) {
                if (line.isEmpty() || line.startsWith("#") || !Character.isDigit(line.charAt(0))) {
                    continue;
                }
                String[] f = line.split("\t");
                long[] row = new long[f.length];
                for (int i = 0; i < f.length; i++) {
                    row[i] = Long.parseLong(f[i].trim());
                }
                if (row.length >= 6) {
                    rows.add(row);
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        for (int i = 1; i < rows.size(); i++) {
            long[] a = rows.get(i - 1);
            long[] b = rows.get(i);
            long uptime = b[1] - a[1];
            Double cpu = uptime <= 0 || a[2] < 0 || b[2] < 0 ? null : round(100.0 * (b[2] - a[2]) / (uptime * 1e6));
            Double gc = uptime <= 0 || a[3] < 0 || b[3] < 0 ? null : round(1000.0 * (b[3] - a[3]) / uptime);
            out.add(new ServerPoint(round((a[0] - zeroMillis) / 1000.0), cpu, gc, b[4] < 0 ? null : b[4],
                    b[5] < 0 ? null : round(b[5] / (1024.0 * 1024))));
        }
        return out;
    }

    /** Every level (and every repeat of it) of the series that has an .hlog in {@code dir}. */
    static List<Level> of(Series s, Path dir) {
        List<Level> out = new ArrayList<>();
        if (dir == null) {
            return out;
        }
        List<LevelResult> levels = new ArrayList<>(s.levels());
        if (s.target().knee() != null) {
            levels.addAll(s.target().knee().probes()); // the knee's probes: the levels that decided it
        }
        levels.sort(java.util.Comparator.comparingInt(LevelResult::connections));
        for (LevelResult l : levels) {
            for (LevelResult run : l.runs()) {
                if (run.hlog() == null) {
                    continue;
                }
                Log log = readLog(dir.resolve(run.hlog()));
                List<Point> points = log.points();
                if (points.isEmpty()) {
                    continue;
                }
                List<ServerPoint> server = server(dir.resolve(dev.netplay.client.results.ResultsFiles.timelineName(run.hlog())),
                        log.zeroMillis());
                String repeat = l.runs().size() > 1 && run.repeat() != null ? ", repeat " + run.repeat() : "";
                out.add(new Level(s.label() + "@" + l.connections() + (run.repeat() == null ? "" : "r" + run.repeat()),
                        String.format(java.util.Locale.ROOT, "%s @ %,d connections%s", s.label(), l.connections(), repeat),
                        run.hlog(), points, server, run.achievedRatio() != null && run.achievedRatio() < Findings.BENT));
            }
        }
        return out;
    }

    private static Double round(Double v) {
        return v == null ? null : round(v.doubleValue());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
