package dev.netplay.client.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netplay.client.results.Bound;
import dev.netplay.client.results.Figure;
import dev.netplay.client.results.Figures;
import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.Repeats;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The report's charts as Apache ECharts options (JSON): the same figures as the PNGs ({@link ChartSet}), drawn in the
 * browser so that a point can be hovered for its value, a model hidden from the legend, an axis switched between log
 * and linear, a time axis zoomed. Every chart carries its data as a table too (the text alternative).
 */
final class InteractiveCharts {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One chart: where it goes on the page, what it says, its ECharts option, and its data as rows for the table. */
    record Chart(String id, Group group, String title, String caption, String unit, ObjectNode option, boolean logToggle,
                 List<List<String>> rows) {
    }

    /** Where on the page: the answer at the top, the why below, each level over time last (a figure's chart says which). */
    enum Group { ANSWER, WHY, DETAIL, OVER_TIME }

    private final List<Series> series;
    private final List<Path> sources;
    private final List<Chart> charts = new ArrayList<>();

    /** @param sources each series' run directory, by run, to read .hlog files from; null entries where unknown */
    InteractiveCharts(List<Series> series, List<Path> sources) {
        this.series = series;
        this.sources = sources;
    }

    List<Chart> all() {
        throughput();
        for (Figure.Section section : Figure.Section.values()) {
            for (Figure<LevelResult> f : Figures.charted()) {
                Figure.Chart c = f.chart();
                if (c.section() == section) {
                    perLevel(c.id(), Group.valueOf(section.name()), c.title(), c.unit(), c.log(), f::plotted, c.caption());
                }
            }
        }
        overTime();
        hostShares();
        return charts;
    }

    private void throughput() {
        ObjectNode option = base("requests/s", true);
        ArrayNode s = option.putArray("series");
        TreeMap<Integer, Double> ideal = new TreeMap<>();
        for (Series one : series) {
            line(s, one, LevelResult::throughputRps);
            one.levels().forEach(l -> {
                if (l.idealRps() != null) {
                    ideal.putIfAbsent(l.connections(), l.idealRps());
                }
            });
        }
        if (!ideal.isEmpty()) {
            ObjectNode line = s.addObject().put("name", "ideal C / D").put("type", "line").put("symbol", "none");
            line.putObject("lineStyle").put("type", "dotted").put("color", "#000000").put("width", 1.5);
            line.putObject("itemStyle").put("color", "#000000");
            ArrayNode data = line.putArray("data");
            ideal.forEach((c, v) -> data.addObject().putPOJO("value", List.of(c, v)).put("unit", "requests/s"));
        }
        add("throughput", Group.ANSWER, "Throughput against Little's law", "requests/s", option,
                "Completed requests per second in the window; the dotted line is C / D, the most C connections waiting D each can complete.",
                LevelResult::throughputRps, true);
    }

    private void perLevel(String id, Group group, String title, String unit, boolean log, Function<LevelResult, Double> f, String caption) {
        ObjectNode option = base(unit, log);
        ArrayNode s = option.putArray("series");
        for (Series one : series) {
            line(s, one, f);
        }
        if (s.isEmpty()) {
            return;
        }
        add(id, group, title, unit, option, caption, f, log);
    }

    /**
     * A merge's hosts ({@code client merge}): each host's requests per second at each level, stacked, so that the
     * bar is the level's total and each host's share shows; nothing for a run of one host.
     */
    private void hostShares() {
        java.util.Map<String, ArrayNode> byHost = new java.util.LinkedHashMap<>();
        ArrayNode categories = JSON.createArrayNode();
        List<List<String>> rows = new ArrayList<>();
        for (Series s : series) {
            for (LevelResult l : s.levels()) {
                if (l.hosts() == null || l.hosts().isEmpty()) {
                    continue;
                }
                String category = (series.size() > 1 ? s.label() + " " : "") + String.format(Locale.ROOT, "%,d", l.connections());
                categories.add(category);
                for (LevelResult.HostShare h : l.hosts()) {
                    byHost.computeIfAbsent(h.host(), k -> JSON.createArrayNode()).addArray().add(category).add(h.throughputRps());
                    rows.add(List.of(s.label(), String.format(Locale.ROOT, "%,d", l.connections()), h.host() + ": "
                            + num(h.throughputRps()), "", ""));
                }
            }
        }
        if (byHost.isEmpty()) {
            return;
        }
        ObjectNode o = base("requests/s", false);
        o.remove("color"); // hosts, not models: ECharts' own palette
        o.putObject("xAxis").put("type", "category").put("name", "connections (all hosts)").put("nameLocation", "middle")
                .put("nameGap", 26).set("data", categories);
        ArrayNode out = o.putArray("series");
        byHost.forEach((host, data) -> out.addObject().put("name", host).put("type", "bar").put("stack", "hosts")
                .put("barMaxWidth", 48).set("data", data));
        charts.add(new Chart("hosts", Group.DETAIL, "Each host's share", "Requests per second each host completed, "
                + "stacked: the bar is the level's total from every host; a short segment is a host that lagged.",
                "requests/s", o, false, rows));
    }

    /** A chart's common parts: the colour-blind palette, a log x axis of connections, the legend, zoom and the y axis. */
    private ObjectNode base(String unit, boolean log) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode colors = o.putArray("color");
        series.forEach(s -> colors.add(hex(s.color())));
        o.putObject("aria").put("enabled", true);
        o.put("animation", false); // drawn at once: the page is ready, and readable, when it opens
        ObjectNode legend = o.putObject("legend").put("type", "plain").put("top", 0).put("itemWidth", 18).put("itemGap", 8);
        legend.putObject("textStyle").put("fontSize", 11);
        o.putObject("grid").put("left", 72).put("right", 30).put("top", series.size() > 2 ? 52 : 32).put("bottom", 44);
        o.putObject("tooltip").put("trigger", "item");
        o.putObject("xAxis").put("type", "log").put("name", "connections").put("nameLocation", "middle").put("nameGap", 26)
                .put("min", "dataMin").put("max", "dataMax");
        o.putObject("yAxis").put("type", log ? "log" : "value").put("name", unit).put("nameLocation", "middle").put("nameGap", 56);
        return o;
    }

    /**
     * A model's line over the levels: each point carries its range over the repeats and its bound for the tooltip, and
     * a hollow symbol where a bound or an unstable spread marks it; whiskers over the repeats, hidden with the line.
     */
    private void line(ArrayNode out, Series s, Function<LevelResult, Double> f) {
        // filled dots: the hollow shapes mark bound and unstable levels
        ObjectNode line = out.addObject().put("name", s.label()).put("type", "line").put("symbol", "circle").put("symbolSize", 8);
        line.putObject("lineStyle").put("type", s.dashed() ? "dashed" : "solid").put("color", hex(s.color()));
        line.putObject("itemStyle").put("color", hex(s.color()));
        ArrayNode data = line.putArray("data");
        ArrayNode whiskers = JSON.createArrayNode();
        for (LevelResult l : s.levels()) {
            Double v = f.apply(l);
            if (v == null) {
                continue;
            }
            ObjectNode p = data.addObject();
            p.putPOJO("value", List.of(l.connections(), v));
            Bound bound = l.diagnosis() == null ? null : l.diagnosis().bound();
            if (bound != null && bound != Bound.NONE) {
                p.put("bound", bound.label);
                p.put("symbol", switch (bound) {
                    case SERVER_CPU -> "emptyCircle";
                    case MACHINE -> "emptyDiamond";
                    default -> "emptyRect";
                });
            }
            if (Repeats.unstable(l)) {
                p.put("unstable", true).put("symbol", "emptyTriangle");
            }
            Repeats.Range r = l.runs().size() < 2 ? null : Repeats.range(l, f);
            if (r != null) {
                p.put("range", num(r.min()) + "–" + num(r.max())).put("repeats", r.count());
                if (r.min() != r.max() && r.min() > 0) {
                    whiskers.addObject().putPOJO("coords", List.of(List.of(l.connections(), r.min()), List.of(l.connections(), r.max())));
                }
            }
        }
        if (!whiskers.isEmpty()) {
            ObjectNode w = out.addObject().put("name", s.label()).put("type", "lines").put("coordinateSystem", "cartesian2d")
                    .put("silent", true);
            w.putObject("lineStyle").put("color", hex(s.color())).put("width", 1.5).put("opacity", 0.8);
            w.set("data", whiskers);
        }
    }

    /** Each level second by second, one chart whose level is chosen from a list (see report.js). */
    private void overTime() {
        ObjectNode option = JSON.createObjectNode();
        ArrayNode levels = option.putArray("levels");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            Path dir = i < sources.size() ? sources.get(i) : null;
            for (OverTime.Level level : OverTime.of(s, dir)) {
                if (level.fellShort() && !option.has("initial")) {
                    option.put("initial", level.key()); // open on a level that fell short: there is something to see
                }
                ObjectNode l = levels.addObject().put("key", level.key()).put("label", level.label()).put("hlog", level.hlog());
                ArrayNode pts = l.putArray("points");
                for (OverTime.Point p : level.points()) {
                    ArrayNode row = pts.addArray().add(p.seconds()).add(p.rps());
                    for (Double v : java.util.Arrays.asList(p.p50Ms(), p.p99Ms(), p.maxMs())) {
                        row.add(v == null ? null : JSON.getNodeFactory().numberNode(v));
                    }
                    row.add(p.phase());
                }
                ArrayNode server = l.putArray("server");
                for (OverTime.ServerPoint p : level.server()) {
                    ArrayNode row = server.addArray().add(p.seconds());
                    row.add(p.cpuPercent() == null ? null : JSON.getNodeFactory().numberNode(p.cpuPercent()));
                    row.add(p.gcMsPerS() == null ? null : JSON.getNodeFactory().numberNode(p.gcMsPerS()));
                }
            }
        }
        if (levels.isEmpty()) {
            return;
        }
        charts.add(new Chart("overtime", Group.OVER_TIME, "Each level over time", "Per second, from the level's .hlog interval "
                + "histograms: completions per second on the left axis, latency p50, p99 and max on the right; the ramp "
                + "(connections opening) and the warm-up are shaded before 0 s, where the measured window starts. Below, from the "
                + "server's once-a-second INFO: its CPU (% of one core) and GC pause time (ms per s). Drag the slider or scroll to "
                + "zoom both.", "requests/s · ms", option, false, List.of()));
    }

    private void add(String id, Group group, String title, String unit, ObjectNode option, String caption,
                     Function<LevelResult, Double> f, boolean log) {
        List<List<String>> rows = new ArrayList<>();
        boolean positive = true;
        for (Series s : series) {
            for (LevelResult l : s.levels()) {
                Double v = f.apply(l);
                if (v == null) {
                    continue;
                }
                positive &= v > 0;
                Repeats.Range r = l.runs().size() < 2 ? null : Repeats.range(l, f);
                rows.add(List.of(s.label(), String.format(Locale.ROOT, "%,d", l.connections()), num(v),
                        r == null ? "" : num(r.min()) + "–" + num(r.max()),
                        l.diagnosis() == null || l.diagnosis().bound() == null ? "" : l.diagnosis().bound().label));
            }
        }
        // A log axis over less than ChartSet.LOG_SPAN times labels one or two powers of ten: open such a chart linear
        // (the button still switches); a zero or a negative value cannot be drawn on one at all.
        double least = Double.POSITIVE_INFINITY;
        double most = 0;
        for (Series one : series) {
            for (LevelResult l : one.levels()) {
                Double v = f.apply(l);
                if (v != null && v > 0) {
                    least = Math.min(least, v);
                    most = Math.max(most, v);
                }
            }
        }
        if (log && (!positive || !(most > ChartSet.LOG_SPAN * least))) {
            ((ObjectNode) option.get("yAxis")).put("type", "value");
        }
        String computed = atTop(f, unit, id.equals("throughput"));
        charts.add(new Chart(id, group, title, computed.isEmpty() ? caption : computed + " " + caption, unit, option, positive, rows));
    }

    /**
     * The caption's first line, from the data: each model's figure at its top level ("At 19,000 connections: netty
     * 18,965 requests/s (99.8%), threads-platform 8,063 (42.4%)."), so that the chart's point is read before it is seen.
     */
    private String atTop(Function<LevelResult, Double> f, String unit, boolean share) {
        List<String> parts = new ArrayList<>();
        long levels = series.stream().filter(s -> f.apply(s.top()) != null).map(s -> s.top().connections()).distinct().count();
        boolean same = levels == 1;
        Integer level = null;
        for (Series s : series) {
            LevelResult top = s.top();
            Double v = f.apply(top);
            if (v == null) {
                continue;
            }
            level = top.connections();
            String part = s.label() + " " + num(v) + (parts.isEmpty() ? " " + unit : "");
            if (!same) {
                part += String.format(Locale.ROOT, " at %,d", top.connections());
            }
            if (share && top.achievedRatio() != null) {
                part += String.format(Locale.ROOT, " (%.1f%% of C / D)", top.achievedRatio() * 100);
            }
            parts.add(part);
        }
        if (parts.isEmpty()) {
            return "";
        }
        return (same ? String.format(Locale.ROOT, "At %,d connections: ", level) : "At each model's top level: ")
                + String.join(", ", parts) + ".";
    }

    static String hex(Color c) {
        return String.format(Locale.ROOT, "#%06x", c.getRGB() & 0xffffff);
    }

    static String num(double v) {
        return Math.abs(v) >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

}
