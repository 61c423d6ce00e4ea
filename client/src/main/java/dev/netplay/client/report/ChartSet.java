package dev.netplay.client.report;

import dev.netplay.client.results.Bound;
import dev.netplay.client.results.Figure;
import dev.netplay.client.results.Figures;
import dev.netplay.client.results.LevelResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The connection-scaling charts, drawn with XChart as PNG and SVG. */
final class ChartSet {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);
    /** Said under every chart that marks bound levels. */
    private static final String BOUND_NOTE = String.format(java.util.Locale.ROOT,
            " A ring marks a level where the server's CPUs were ≥ %.0f%% busy (%s bound); a hollow square one where the "
                    + "load client's were ≥ %.0f%% (%s) or its sends lagged ≥ %.0f ms at p99 (%s): that level measures the "
                    + "client; a diamond one where the machine was disturbed (%s: ≥ %.0f%% steal, or other processes ≥ %.0f%% "
                    + "of a CPU). With repeats: the line joins the medians, a whisker spans each level's repeats, a triangle "
                    + "marks a level whose repeats' shares of C/D lie more than %.0f points apart (unstable).",
            Bound.SERVER_BUSY_PERCENT, Bound.SERVER_CPU.label, Bound.CLIENT_BUSY_PERCENT, Bound.CLIENT_CPU.label,
            Bound.CLIENT_LAG_P99_MS, Bound.CLIENT_LAG.label, Bound.MACHINE.label, Bound.STEAL_PERCENT, Bound.OTHER_CPU_PERCENT,
            dev.netplay.client.results.Repeats.UNSTABLE_POINTS);
    private static final BasicStroke WHISKER = new BasicStroke(1.3f);
    private static final BasicStroke DOTTED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {2f, 3f}, 0f);

    /** A chart written to disk. */
    record Chart(String file, String title, String caption) {
    }

    private final List<Series> series;
    private final String subtitle;
    private final Path dir;
    private final List<Chart> charts = new ArrayList<>();

    ChartSet(List<Series> series, String subtitle, Path dir) {
        this.series = series;
        this.subtitle = subtitle;
        this.dir = dir;
    }

    List<Chart> drawAll() throws IOException {
        throughput();
        latency();
        for (Figure<LevelResult> f : Figures.charted()) {
            Figure.Chart c = f.chart();
            if (c.picture()) {
                perLevel(c.id(), c.title() + " vs connections", c.axis(), c.log(), f::plotted, c.caption());
            }
        }
        cpuSplit();
        errors();
        distribution();
        knees();
        return charts;
    }

    /** With --knee: each model's knee as a dot, its repeats' range as a whisker, one column per model. */
    private void knees() throws IOException {
        XYChart chart = newChart("Knee: the most connections held at 99% of C/D", "connections", false);
        chart.setXAxisTitle("model (see the legend)");
        chart.getStyler().setXAxisTicksVisible(false);
        int column = 0;
        for (Series s : series) {
            dev.netplay.client.results.Knee k = s.target().knee();
            column++;
            if (k == null || k.connections() == null) {
                continue;
            }
            XYSeries dot = chart.addSeries(s.label() + (k.above() ? " (held at every level: ≥)" : ""),
                    List.of((double) column), List.of((double) k.connections()));
            dot.setMarkerColor(s.color());
            dot.setMarker(k.above() ? new HollowMarker(HollowMarker.Shape.TRIANGLE) : SeriesMarkers.CIRCLE);
            dot.setLineStyle(SeriesLines.NONE);
            if (k.min() != null && k.max() != null && !k.min().equals(k.max())) {
                XYSeries w = chart.addSeries(s.label() + " knee range", List.of((double) column, (double) column),
                        List.of((double) k.min(), (double) k.max()));
                w.setLineColor(s.color());
                w.setLineStyle(WHISKER);
                w.setMarker(SeriesMarkers.NONE);
                w.setShowInLegend(false);
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            return;
        }
        chart.getStyler().setXAxisMin(0.5);
        chart.getStyler().setXAxisMax(column + 0.5);
        chart.getStyler().setYAxisMin(0.0);
        save(chart, "knees", "Each model's knee (compare --knee): the highest connection count at which it still completed 99% "
                + "of C/D, found by bisection between the levels; the whisker spans the repeats' own knees. A hollow triangle: "
                + "the model held at every level measured, so its knee lies above the top level, which is drawn.");
    }

    private void cpuSplit() throws IOException {
        XYChart chart = newChart("Server CPU per request, user and system, vs connections", "CPU per request (µs)", true);
        chart.getStyler().setYAxisLogarithmic(true);
        for (Series s : series) {
            add(chart, s.label() + " user", s, l -> l.diagnosis() == null ? null : l.diagnosis().serverUserUsPerReq(), true, SeriesLines.SOLID);
            add(chart, s.label() + " system", s, l -> l.diagnosis() == null ? null : l.diagnosis().serverSysUsPerReq(), true, DASHED);
        }
        save(chart, "cpu-split", "Solid: user-mode CPU per request (the JVM's own work); dashed: kernel-mode (system calls, "
                + "scheduling, the network stack). From /proc/self/stat, 10 ms resolution, over the window." + BOUND_NOTE);
    }

    /** A line of f over the levels, with a hollow marker over each CPU-bound level. */
    private void add(XYChart chart, String name, Series s, Function<LevelResult, Double> f, boolean logY, BasicStroke stroke) {
        List<List<Double>> p = points(s, f, logY);
        add(chart, name, s, p.get(0), p.get(1), stroke);
        whiskers(chart, name, s, f, logY);
        for (Bound bound : List.of(Bound.SERVER_CPU, Bound.CLIENT_CPU, Bound.CLIENT_LAG, Bound.MACHINE)) {
            HollowMarker.Shape shape = switch (bound) {
                case SERVER_CPU -> HollowMarker.Shape.RING;
                case MACHINE -> HollowMarker.Shape.DIAMOND;
                default -> HollowMarker.Shape.SQUARE;
            };
            mark(chart, name + " (" + bound.label + ")", s, f, logY, shape,
                    l -> l.diagnosis() != null && bound == l.diagnosis().bound());
        }
        mark(chart, name + " (unstable)", s, f, logY, HollowMarker.Shape.TRIANGLE, dev.netplay.client.results.Repeats::unstable);
    }

    /** A hollow mark over every level that {@code which} picks. */
    private static void mark(XYChart chart, String name, Series s, Function<LevelResult, Double> f, boolean logY,
                             HollowMarker.Shape shape, java.util.function.Predicate<LevelResult> which) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (LevelResult l : s.levels()) {
            Double v = f.apply(l);
            if (v != null && (!logY || v > 0) && which.test(l)) {
                x.add((double) l.connections());
                y.add(v);
            }
        }
        if (!x.isEmpty()) {
            XYSeries mark = chart.addSeries(name, x, y);
            mark.setMarker(new HollowMarker(shape));
            mark.setMarkerColor(s.color());
            mark.setLineStyle(SeriesLines.NONE);
            mark.setShowInLegend(false);
        }
    }

    /** A level measured several times: a vertical whisker from its repeats' least to greatest value. */
    private static void whiskers(XYChart chart, String name, Series s, Function<LevelResult, Double> f, boolean logY) {
        for (LevelResult l : s.levels()) {
            if (l.runs().size() < 2) {
                continue;
            }
            dev.netplay.client.results.Repeats.Range r = dev.netplay.client.results.Repeats.range(l, f);
            if (r == null || r.min() == r.max() || logY && r.min() <= 0) {
                continue;
            }
            XYSeries w = chart.addSeries(name + " repeats @ " + l.connections(), List.of((double) l.connections(),
                    (double) l.connections()), List.of(r.min(), r.max()));
            w.setLineColor(s.color());
            w.setLineStyle(WHISKER);
            w.setMarker(SeriesMarkers.NONE);
            w.setShowInLegend(false);
        }
    }

    private XYChart newChart(String title, String yTitle, boolean logX) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title + " — " + subtitle)
                .xAxisTitle(logX ? "concurrent connections" : "").yAxisTitle(yTitle).build();
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setMarkerSize(7);
        // Decimal patterns, not a formatting function: XChart places a function's labels linearly on a log axis.
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisDecimalPattern("#,###.##");
        return chart;
    }

    private void add(XYChart chart, String name, Series s, List<Double> x, List<Double> y, BasicStroke stroke) {
        if (x.isEmpty()) {
            return;
        }
        XYSeries xy = chart.addSeries(name, x, y);
        xy.setLineColor(s.color());
        xy.setMarkerColor(s.color());
        xy.setMarker(SeriesMarkers.CIRCLE);
        xy.setLineStyle(stroke != null ? stroke : s.dashed() ? DASHED : SeriesLines.SOLID);
    }

    /** x = connections, y = f(level), skipping levels where f is unknown (or not positive on a log axis). */
    private static List<List<Double>> points(Series s, Function<LevelResult, Double> f, boolean logY) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (LevelResult l : s.levels()) {
            Double v = f.apply(l);
            if (v != null && (!logY || v > 0)) {
                x.add((double) l.connections());
                y.add(v);
            }
        }
        return List.of(x, y);
    }

    private void throughput() throws IOException {
        XYChart chart = newChart("Throughput vs connections", "throughput (requests/s)", true);
        chart.getStyler().setYAxisLogarithmic(true);
        List<Double> idealX = new ArrayList<>();
        List<Double> idealY = new ArrayList<>();
        for (Series s : series) {
            add(chart, s.label(), s, LevelResult::throughputRps, true, null);
            for (LevelResult l : s.levels()) {
                if (l.idealRps() != null && !idealX.contains((double) l.connections())) {
                    idealX.add((double) l.connections());
                    idealY.add(l.idealRps());
                }
            }
        }
        if (!idealX.isEmpty()) {
            List<Integer> order = sortedIndexes(idealX);
            XYSeries ideal = chart.addSeries("ideal C / D (Little's law)", order.stream().map(idealX::get).toList(),
                    order.stream().map(idealY::get).toList());
            ideal.setLineColor(Color.BLACK);
            ideal.setLineStyle(DOTTED);
            ideal.setMarker(SeriesMarkers.NONE);
        }
        save(chart, "throughput", "Completed requests per second in the measured window. The dotted line is Little's law: "
                + "C connections, each waiting D per request, can complete at most C / D requests per second." + BOUND_NOTE);
    }

    private void latency() throws IOException {
        XYChart chart = newChart("Latency p50 and p99 vs connections", "latency (ms)", true);
        chart.getStyler().setYAxisLogarithmic(true);
        for (Series s : series) {
            add(chart, s.label() + " p50", s, l -> l.latency() == null ? null : l.latency().p50Ms(), true, SeriesLines.SOLID);
            add(chart, s.label() + " p99", s, l -> l.latency() == null ? null : l.latency().p99Ms(), true, DASHED);
        }
        save(chart, "latency", "Solid: median; dashed: 99th percentile. Recorded in ns with HdrHistogram, shown in ms." + BOUND_NOTE);
    }

    private void perLevel(String file, String title, String yTitle, boolean logY, Function<LevelResult, Double> f, String caption)
            throws IOException {
        XYChart chart = newChart(title, yTitle, true);
        chart.getStyler().setYAxisLogarithmic(logY);
        for (Series s : series) {
            add(chart, s.label(), s, f, logY, null);
        }
        save(chart, file, caption + BOUND_NOTE);
    }

    private void errors() throws IOException {
        XYChart chart = newChart("Errors and timeouts vs connections", "count in the measured window", true);
        for (Series s : series) {
            List<List<Double>> e = points(s, l -> (double) (l.errors() - l.timeouts()), false);
            add(chart, s.label() + " errors", s, e.get(0), e.get(1), SeriesLines.SOLID);
            List<List<Double>> t = points(s, l -> (double) l.timeouts(), false);
            add(chart, s.label() + " timeouts", s, t.get(0), t.get(1), DASHED);
            List<List<Double>> c = points(s, l -> (double) l.connectsFailed(), false);
            add(chart, s.label() + " failed connects", s, c.get(0), c.get(1), DOTTED);
        }
        save(chart, "errors", "Solid: wrong replies, server errors and requests lost to closed connections; dashed: requests "
                + "unanswered within the timeout; dotted: connects that failed during the level.");
    }

    /** HdrHistogram-style: x is log10(1 / (1 - percentile)), so 90%, 99%, 99.9% ... are evenly spaced. */
    private void distribution() throws IOException {
        XYChart chart = newChart("Latency by percentile at the top level", "latency (ms)", false);
        // No custom tick labels here: XChart's tick search loops when a formatter maps ticks to equal labels.
        chart.setXAxisTitle("percentile, in nines: 1 = 90%, 2 = 99%, 3 = 99.9%, 4 = 99.99%");
        for (Series s : series) {
            LevelResult top = s.top();
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            if (top.latencyDistribution() != null) {
                for (double[] point : top.latencyDistribution()) {
                    if (point[0] < 100 && point[1] > 0) {
                        x.add(Math.log10(1 / (1 - point[0] / 100)));
                        y.add(point[1]);
                    }
                }
            }
            add(chart, s.label() + " @ " + count(top.connections()), s, x, y, null);
        }
        chart.getStyler().setYAxisLogarithmic(true); // kept only if the curves span enough (fitScales)
        chart.getSeriesMap().values().forEach(xy -> xy.setMarker(SeriesMarkers.NONE));
        save(chart, "percentiles", "The whole latency distribution at each model's highest level; to the right is the tail "
                + "(99%, 99.9%, ...), where queueing and stalls show first.");
    }

    /** Least span (greatest / least) that a log axis needs to label at least two powers of ten usefully. */
    static final double LOG_SPAN = 20;

    private void save(XYChart chart, String name, String caption) throws IOException {
        if (chart.getSeriesMap().isEmpty()) {
            return;
        }
        fitScales(chart);
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(name).toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        charts.add(new Chart(name + ".png", chart.getTitle(), caption));
    }

    /**
     * A log axis labels only powers of ten: over less than {@value #LOG_SPAN} times from its least to its greatest
     * value it would show one or two labels (e.g. only "1,000" for latencies of 1,000 to 6,600 ms), so such an axis
     * is made linear, where every tick is labelled. An axis that stays logarithmic says so in its title.
     */
    static void fitScales(XYChart chart) {
        double[] x = range(chart, true);
        double[] y = range(chart, false);
        XYStyler styler = chart.getStyler();
        if (styler.isXAxisLogarithmic() && !(x[1] > LOG_SPAN * x[0])) {
            styler.setXAxisLogarithmic(false);
        }
        if (styler.isYAxisLogarithmic() && !(y[1] > LOG_SPAN * y[0])) {
            styler.setYAxisLogarithmic(false);
        }
        if (styler.isXAxisLogarithmic()) {
            chart.setXAxisTitle(chart.getXAxisTitle() + " (log scale)");
        }
        if (styler.isYAxisLogarithmic()) {
            chart.setYAxisTitle(chart.getYAxisTitle() + " (log scale)");
        }
    }

    /** The least positive and the greatest value of every series on one axis. */
    private static double[] range(XYChart chart, boolean xAxis) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double v : xAxis ? series.getXData() : series.getYData()) {
                if (v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        return new double[] {min, max};
    }

    private static List<Integer> sortedIndexes(List<Double> values) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> Double.compare(values.get(a), values.get(b)));
        return idx;
    }


    static String count(double v) {
        if (v >= 1000 && v % 1000 == 0) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

}
