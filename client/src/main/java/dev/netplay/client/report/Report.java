package dev.netplay.client.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netplay.client.results.Bound;
import dev.netplay.client.results.Figure;
import dev.netplay.client.results.Figures;
import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.Repeats;
import dev.netplay.client.results.RunResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * report.html: the answer first (a sentence per model and three charts), then why, each level over time, the tables,
 * the findings and the parameters. Its charts are interactive (Apache ECharts, inlined: the page needs no network);
 * PNG and SVG images of them lie beside it for documents.
 */
public final class Report {
    public static final String FILE = "report.html";

    private Report() {
    }

    /** Apache ECharts, bundled from its WebJar: the page draws its charts with no network. */
    static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final String SCRIPT = "report.js";
    /** A table wider than this many figure columns is cut into several, each with the model and connections: no sideways scroll. */
    static final int MAX_TABLE_COLUMNS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Draws the charts and writes report.html into {@code dir}, without over-time charts; returns the report's path. */
    public static Path write(List<RunResult> runs, Path dir) throws IOException {
        return write(runs, List.of(), dir);
    }

    /**
     * Draws the charts and writes report.html into {@code dir}; {@code sources} are the runs' own directories (where
     * their .hlog files lie), by run, for the charts over time. Returns the report's path.
     */
    public static Path write(List<RunResult> runs, List<Path> sources, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Series> series = Series.of(runs);
        List<ChartSet.Chart> images = new ChartSet(series, subtitle(runs.get(0)), dir).drawAll();
        List<Path> bySeries = new ArrayList<>();
        for (Series s : series) {
            int run = runs.indexOf(s.run());
            bySeries.add(run >= 0 && run < sources.size() ? sources.get(run) : null);
        }
        List<InteractiveCharts.Chart> charts = new InteractiveCharts(series, bySeries).all();
        StringBuilder h = new StringBuilder(1 << 20);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>netplay report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<h1>netplay: event loop against thread per connection</h1>\n<p class=\"sub\">")
                .append(esc(subtitle(runs.get(0)))).append(runs.size() > 1 ? " · " + runs.size() + " runs overlaid" : "")
                .append(" · ").append(esc(runs.get(0).startedAt())).append("</p>\n");
        h.append("<ul class=\"headline\">\n");
        for (String line : Headline.of(series)) {
            h.append("<li>").append(esc(line)).append("</li>\n");
        }
        h.append("</ul>\n");
        h.append(modelFilter(series));
        h.append("<section class=\"grid three\" aria-label=\"the answer\">\n");
        charts.stream().filter(c -> c.group() == InteractiveCharts.Group.ANSWER).forEach(c -> figure(h, c));
        h.append("</section>\n<h2>Why: what each model pays</h2>\n<section class=\"grid two\">\n");
        charts.stream().filter(c -> c.group() == InteractiveCharts.Group.WHY).forEach(c -> figure(h, c));
        h.append("</section>\n");
        charts.stream().filter(c -> c.group() == InteractiveCharts.Group.OVER_TIME).forEach(c -> {
            h.append("<h2>Each level over time</h2>\n<p><label for=\"overtime-level\">level: </label>"
                    + "<select id=\"overtime-level\"></select></p>\n");
            figure(h, c);
        });
        FlameGraphs flames = FlameGraphs.of(series, bySeries, dir);
        if (flames != null) {
            h.append(flameSection(flames));
        }
        h.append(kneeTable(series));
        h.append("<h2>Summary</h2>\n").append(summaryTable(series));
        h.append("<h2>What this shows</h2>\n");
        for (String finding : Findings.of(series)) {
            h.append(details(finding));
        }
        h.append("<h2>More per level</h2>\n<section class=\"grid two\">\n");
        charts.stream().filter(c -> c.group() == InteractiveCharts.Group.DETAIL).forEach(c -> figure(h, c));
        h.append("</section>\n");
        h.append("<h2>Why: CPUs, scheduler, GC per level</h2>\n").append(costsTable(series));
        h.append(backendTable(series));
        h.append(byCommandTable(series));
        h.append(hostTable(series));
        for (int r = 0; r < runs.size(); r++) {
            RunResult run = runs.get(r);
            h.append("<h2>").append(runs.size() > 1 ? "Run " + (r + 1) + ": " : "Run: ").append(esc(run.startedAt())).append("</h2>\n");
            Object command = run.parameters().get("command");
            if (command != null) {
                h.append("<p>Command:</p>\n<pre>").append(esc(String.valueOf(command))).append("</pre>\n");
            }
            Object notes = run.parameters().get("notes");
            if (notes instanceof List<?> list && !list.isEmpty()) {
                h.append("<ul>\n");
                list.forEach(n -> h.append("<li>").append(esc(String.valueOf(n))).append("</li>\n"));
                h.append("</ul>\n");
            }
            h.append("<table>\n<tr><th colspan=\"2\">parameters</th><th colspan=\"2\">machine</th></tr>\n");
            List<Map.Entry<String, Object>> params = run.parameters().entrySet().stream()
                    .filter(e -> !e.getKey().equals("command") && !e.getKey().equals("notes")).toList();
            List<Map.Entry<String, Object>> machine = List.copyOf(run.machine().entrySet());
            for (int i = 0; i < Math.max(params.size(), machine.size()); i++) {
                h.append("<tr>");
                cell(h, i < params.size() ? inWords(params.get(i), run) : null);
                cell(h, i < machine.size() ? machine.get(i) : null);
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append(launchTable(series, dir));
        h.append("<h2>Images and raw data</h2>\n<p>The same charts as images, for documents: ");
        h.append(images.stream().map(c -> "<a href=\"" + esc(c.file()) + "\">" + esc(c.file().replace(".png", "")) + "</a> (<a href=\""
                + esc(c.file().replace(".png", ".svg")) + "\">SVG</a>)").collect(Collectors.joining(", ")));
        h.append(".</p>\n<p>Raw data: <code>results.json</code>, <code>results.csv</code> and one HdrHistogram interval log "
                + "(<code>.hlog</code>, values in ns) per model and level.</p>\n");
        h.append("<script type=\"application/json\" id=\"netplay-charts\">").append(chartsJson(charts)).append("</script>\n");
        h.append("<script>\n").append(resource(ECHARTS)).append("\n</script>\n");
        h.append("<script>\n").append(resource(SCRIPT)).append("\n</script>\n");
        if (flames != null) {
            h.append("<script type=\"application/json\" id=\"netplay-flames\">").append(flames.json()).append("</script>\n");
            h.append("<script>\n").append(resource(FLAME_SCRIPT)).append("\n</script>\n");
        }
        h.append("</body>\n</html>\n");
        Path report = dir.resolve(FILE);
        Files.writeString(report, h.toString(), StandardCharsets.UTF_8);
        return report;
    }

    /** Draws the flame graphs of a profiled run (compare --profile) from the data FlameGraphs embeds. */
    private static final String FLAME_SCRIPT = "flame.js";

    /** The flame graphs' place: the model, level, profile and a second model to compare with, a search, the drawing. */
    private static String flameSection(FlameGraphs flames) {
        return "<h2 id=\"flames\">Where the server's time goes: flame graphs</h2>\n"
                + "<p class=\"sub\">One profile per model and level over its measured window (compare --profile). Each bar "
                + "is a frame, as wide as its share of the samples, its callers above it; colours by kind of frame, the same in "
                + "every graph. Click a frame to zoom in; search to mark frames and see their share.</p>\n"
                + "<div class=\"flame-controls\"><label>model <select id=\"flame-model\"></select></label> "
                + "<label>level <select id=\"flame-level\"></select></label> "
                + "<label>profile <select id=\"flame-kind\"><option value=\"cpu\">CPU</option>"
                + "<option value=\"wall\">wall clock</option></select></label> "
                + "<label>differential against <select id=\"flame-diff\"><option value=\"\">(none)</option></select></label> "
                + "<label>search <input id=\"flame-search\" type=\"search\" placeholder=\"frame name, e.g. futex\"></label> "
                + "<button id=\"flame-reset\" type=\"button\">whole graph</button></div>\n"
                + "<p id=\"flame-legend\" class=\"flame-legend\"></p>\n"
                + "<p id=\"flame-caption\" class=\"sub\"></p>\n"
                + "<div id=\"flame-box\"><canvas id=\"flame-canvas\" role=\"img\" aria-label=\"flame graph\"></canvas></div>\n"
                + "<p id=\"flame-info\" class=\"flame-info\" aria-live=\"polite\">Point at a frame.</p>\n"
                + "<p id=\"flame-matched\" class=\"flame-info\"></p>\n<ul id=\"flame-missing\"></ul>\n";
    }

    private static final String CSS = String.join("\n",
            "body{font-family:system-ui,sans-serif;max-width:1240px;margin:1em auto;padding:0 12px;color:#222;line-height:1.35}",
            "h1{font-size:1.45em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .5em}p.sub{color:#555;margin:.2em 0 .6em}",
            "ul.headline{margin:.4em 0 .8em;padding-left:1.2em}ul.headline li{margin:.15em 0}",
            ".grid{display:grid;gap:14px}.grid.three{grid-template-columns:repeat(3,minmax(0,1fr))}",
            ".grid.two{grid-template-columns:repeat(2,minmax(0,1fr))}",
            "@media (max-width:900px){.grid.three,.grid.two{grid-template-columns:minmax(0,1fr)}}",
            "figure{margin:0;min-width:0}figure h3{font-size:1em;margin:.2em 0}.chart{width:100%;height:300px}",
            "#chart-overtime{height:540px}figcaption{color:#555;font-size:.85em}",
            "button.scale{font-size:.8em;margin:.2em 0}fieldset.models{border:1px solid #ddd;margin:.4em 0;padding:.2em .6em}",
            "fieldset.models label{margin-right:1em;white-space:nowrap}",
            "table{border-collapse:collapse;margin:.6em 0;font-size:.8em;max-width:100%}td,th{border:1px solid #ccc;padding:.2em .4em}",
            "th{background:#f3f3f3;font-weight:600;white-space:normal;vertical-align:bottom}",
            "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}",
            "small.range{color:#666}small.unstable{color:#b00;font-weight:bold}",
            "details{margin:.3em 0}details>summary{cursor:pointer}details p{margin:.3em 0 .3em 1.2em}",
            "code,pre{background:#f6f6f6;padding:.1em .3em}pre{padding:.6em;white-space:pre-wrap;word-break:break-all}",
            ":focus-visible{outline:2px solid #0072b2;outline-offset:2px}",
            ".flame-controls label{margin-right:.8em;white-space:nowrap;display:inline-block;margin-bottom:.3em}",
            "#flame-box{width:100%;overflow:hidden}#flame-canvas{display:block;width:100%}",
            ".flame-info{font-family:ui-monospace,monospace;font-size:.8em;word-break:break-all;min-height:1.2em;margin:.2em 0}",
            ".flame-legend span{display:inline-block;margin-right:1em;font-size:.85em}",
            ".flame-legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:middle}", "");

    /** A chart's place: its title, the drawing, its caption, a log/linear switch where it applies, its data as a table. */
    private static void figure(StringBuilder h, InteractiveCharts.Chart c) {
        h.append("<figure>\n<h3 id=\"title-").append(c.id()).append("\">").append(esc(c.title())).append("</h3>\n")
                .append("<div class=\"chart\" id=\"chart-").append(c.id()).append("\" role=\"img\" aria-labelledby=\"title-")
                .append(c.id()).append("\"></div>\n<figcaption>").append(esc(c.caption()));
        if (c.logToggle()) {
            boolean log = "log".equals(c.option().path("yAxis").path("type").asText());
            h.append(" <button type=\"button\" class=\"scale\" id=\"scale-").append(c.id()).append("\" aria-pressed=\"")
                    .append(log).append("\">").append(log ? "y: log (switch to linear)" : "y: linear (switch to log)").append("</button>");
        }
        h.append("</figcaption>\n");
        if (!c.rows().isEmpty()) {
            h.append("<details><summary>data</summary><table>\n<tr><th>model</th><th>connections</th><th>")
                    .append(esc(c.unit())).append("</th><th>repeats' range</th><th>bound</th></tr>\n");
            for (List<String> row : c.rows()) {
                h.append("<tr><td>").append(esc(row.get(0))).append("</td>");
                row.subList(1, row.size()).forEach(v -> h.append("<td class=\"n\">").append(esc(v)).append("</td>"));
                h.append("</tr>\n");
            }
            h.append("</table></details>\n");
        }
        h.append("</figure>\n");
    }

    /** Checkboxes that show or hide a model in every chart at once: the legend's clicks, by keyboard too. */
    private static String modelFilter(List<Series> series) {
        StringBuilder f = new StringBuilder("<fieldset class=\"models\"><legend>models shown</legend>");
        for (Series s : series) {
            f.append("<label><input type=\"checkbox\" checked data-model=\"").append(esc(s.label())).append("\"> ")
                    .append("<span style=\"color:").append(InteractiveCharts.hex(s.color())).append("\">&#9632;</span> ")
                    .append(esc(s.label())).append("</label>");
        }
        return f.append("</fieldset>\n").toString();
    }

    /** A finding as a short summary line, opened for the rest of its sentences. */
    private static String details(String finding) {
        int cut = finding.indexOf(". ");
        if (cut < 0 || cut > 220) {
            return "<details><summary>" + esc(finding) + "</summary></details>\n";
        }
        return "<details><summary>" + esc(finding.substring(0, cut + 1)) + "</summary><p>" + esc(finding.substring(cut + 2))
                + "</p></details>\n";
    }

    private static String chartsJson(List<InteractiveCharts.Chart> charts) throws IOException {
        var array = JSON.createArrayNode();
        for (InteractiveCharts.Chart c : charts) {
            array.addObject().put("id", c.id()).put("unit", c.unit()).set("option", c.option());
        }
        // Inside a script element: no "<" at all ("</script>", "<!--" would end or bend it), so none of a name's
        // characters can leave the JSON; "<", ">" and "&" occur only inside JSON strings, where \\u escapes mean them.
        return JSON.writeValueAsString(array).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    private static String resource(String name) throws IOException {
        ClassLoader loader = Report.class.getClassLoader();
        try (var in = name.startsWith("META-INF/") ? loader.getResourceAsStream(name) : Report.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing from the client jar: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String summaryTable(List<Series> series) {
        return table(series, Figure.Table.SUMMARY);
    }

    /** With {@code --knee}: each model's knee, as a sentence with its spread and probes. */
    private static String kneeTable(List<Series> series) {
        StringBuilder rows = new StringBuilder();
        for (Series s : series) {
            if (s.target().knee() != null) {
                rows.append("<tr><td>").append(esc(s.label())).append("</td><td>")
                        .append(esc(dev.netplay.client.results.SummaryTable.kneeText(s.target().knee()))).append("</td></tr>\n");
            }
        }
        return rows.length() == 0 ? "" : "<h2>Knees: the most connections each model held at 99% of C/D</h2>\n"
                + "<table>\n<tr><th>model</th><th>knee</th></tr>\n" + rows + "</table>\n";
    }

    /** With FETCH or GATHER: the backend beside each level, so that a bend on its side is not blamed on the model. */
    private static String backendTable(List<Series> series) {
        String table = table(series, Figure.Table.BACKEND);
        if (table.isEmpty()) {
            return "";
        }
        return "<h2>The backend, per level (FETCH, GATHER)</h2>\n<p>What the server the models call did over each window: "
                + "a backend whose CPU is busy or whose SLEEPs resume late makes every model's calls late.</p>\n" + table;
    }

    /**
     * One table of the figure catalogue ({@link Figures}): a row per series and level that has the table's figures,
     * the model and (past the summary) the connections first; empty where no level has a row.
     */
    private static String table(List<Series> series, Figure.Table table) {
        Figure<LevelResult> connections = Figures.ALL.get(0);
        List<Figure<LevelResult>> figures = Figures.of(table).stream().filter(f -> f.html() != null && f != connections).toList();
        StringBuilder out = new StringBuilder();
        // Cut into tables of at most MAX_TABLE_COLUMNS figures, each keyed by model and connections: none scrolls sideways.
        int parts = Math.max(1, (figures.size() + MAX_TABLE_COLUMNS - 1) / MAX_TABLE_COLUMNS);
        int per = (figures.size() + parts - 1) / parts;
        for (int from = 0; from < Math.max(1, figures.size()); from += per) {
            List<Figure<LevelResult>> part = figures.subList(from, Math.min(figures.size(), from + Math.max(1, per)));
            StringBuilder rows = new StringBuilder();
            for (Series s : series) {
                for (LevelResult l : s.levels()) {
                    if (!Figures.hasRow(table, l)) {
                        continue;
                    }
                    rows.append("<tr><td>").append(esc(s.label())).append("</td>");
                    rangedCell(rows, connections, l);
                    for (Figure<LevelResult> f : part) {
                        rangedCell(rows, f, l);
                    }
                    rows.append("</tr>\n");
                }
            }
            if (rows.length() == 0) {
                return "";
            }
            out.append("<table>\n<tr><th>model</th><th>").append(esc(connections.html().header())).append("</th>");
            part.forEach(f -> out.append("<th>").append(esc(f.html().header())).append("</th>"));
            out.append("</tr>\n").append(rows).append("</table>\n");
            if (figures.isEmpty()) {
                break;
            }
        }
        return out.toString();
    }

    /** With a mix: each request's own figures per level, so that what slow requests do to fast ones shows. */
    private static String byCommandTable(List<Series> series) {
        return rowsTable(series, "<h2>By request (--mix)</h2>\n", Figures.BY_COMMAND, Figures.CommandRow::of);
    }

    /** A merge's hosts ({@code client merge}): each host's part of each level; empty for a run of one host. */
    private static String hostTable(List<Series> series) {
        return rowsTable(series, "<h2>Each host's part (merged from several hosts)</h2>\n<p>Each host's own figures; the "
                + "level's total above adds their interval histograms, so its percentiles are of every request, not an "
                + "average of the hosts'.</p>\n", Figures.BY_HOST, Figures.HostRow::of);
    }

    /** A table of rows within levels (a mix's requests, a merge's hosts) under {@code heading}; empty without any. */
    private static <R> String rowsTable(List<Series> series, String heading, List<Figure<R>> catalogue,
                                        java.util.function.Function<LevelResult, List<R>> rowsOf) {
        List<Figure<R>> figures = catalogue.stream().filter(f -> f.html() != null).toList();
        Figure<LevelResult> connections = Figures.ALL.get(0);
        StringBuilder rows = new StringBuilder();
        for (Series s : series) {
            for (LevelResult l : s.levels()) {
                for (R row : rowsOf.apply(l)) {
                    rows.append("<tr><td>").append(esc(s.label())).append("</td>");
                    cell(rows, connections, l);
                    figures.forEach(f -> cell(rows, f, row));
                    rows.append("</tr>\n");
                }
            }
        }
        if (rows.length() == 0) {
            return "";
        }
        StringBuilder t = new StringBuilder(heading).append("<table>\n<tr><th>model</th><th>")
                .append(esc(connections.html().header())).append("</th>");
        figures.forEach(f -> t.append("<th>").append(esc(f.html().header())).append("</th>"));
        return t.append("</tr>\n").append(rows).append("</table>\n").toString();
    }

    /**
     * A level's figure: the median of its repeats, their range under it, and on the share of C/D the unstable mark
     * when the repeats lie more than {@link Repeats#UNSTABLE_POINTS} points apart.
     */
    private static void rangedCell(StringBuilder rows, Figure<LevelResult> f, LevelResult l) {
        String range = Figures.range(f, f.html().format(), l);
        boolean unstable = f.csv().equals("achieved_ratio") && Repeats.unstable(l);
        if (range == null && !unstable) {
            cell(rows, f, l);
            return;
        }
        String v = f.htmlText(l);
        rows.append("<td class=\"n\">").append(v == null ? Figure.HTML_UNKNOWN : esc(v));
        if (range != null) {
            rows.append("<br><small class=\"range\">").append(esc(range)).append("</small>");
        }
        if (unstable) {
            rows.append("<br><small class=\"unstable\">unstable</small>");
        }
        rows.append("</td>");
    }

    /** One figure's cell: numbers right-aligned, the unknown as a dash. */
    private static <R> void cell(StringBuilder rows, Figure<R> f, R row) {
        String v = f.htmlText(row);
        rows.append(f.of(row) instanceof Number ? "<td class=\"n\">" : "<td>").append(v == null ? Figure.HTML_UNKNOWN : esc(v)).append("</td>");
    }

    private static String costsTable(List<Series> series) {
        return String.format(Locale.ROOT, "<p>Bound: <code>%s</code> when steal was ≥ %.0f%% of the machine's CPU time or "
                + "processes other than the server, the load client and the backend used ≥ %.0f%% of a CPU (the row measures "
                + "the machine, whatever else it shows); else <code>%s</code> when the server's CPUs were ≥ %.0f%% busy over the "
                + "window, <code>%s</code> when the load client's were ≥ %.0f%% and <code>%s</code> when its own lag reached "
                + "%.0f ms at p99 (those rows measure the client, not the server); <code>%s</code> otherwise. Per-request "
                + "figures divide by the server's own command count, less the probe's PINGs.</p>%n",
                Bound.MACHINE.label, Bound.STEAL_PERCENT, Bound.OTHER_CPU_PERCENT, Bound.SERVER_CPU.label, Bound.SERVER_BUSY_PERCENT,
                Bound.CLIENT_CPU.label, Bound.CLIENT_BUSY_PERCENT, Bound.CLIENT_LAG.label, Bound.CLIENT_LAG_P99_MS,
                Bound.NONE.label) + table(series, Figure.Table.COSTS);
    }

    /** How compare started each server: the exact command line, its CPUs, its flight recording. */
    private static String launchTable(List<Series> series, Path dir) {
        StringBuilder t = new StringBuilder();
        for (Series s : series) {
            Map<String, Object> launch = s.target().launch();
            if (launch == null || launch.get("command") == null) {
                continue;
            }
            if (t.length() == 0) {
                t.append("<h2>How each server ran</h2>\n<table>\n<tr><th>model</th><th>command line</th><th>flight recording</th></tr>\n");
            }
            Object jfr = launch.get("jfr");
            t.append("<tr><td>").append(esc(s.label())).append("</td><td><code>").append(esc(String.valueOf(launch.get("command"))))
                    .append("</code></td><td>").append(jfr == null ? "–" : link(inside(dir, jfr.toString()))
                            + " (open in JDK Mission Control)").append("</td></tr>\n");
        }
        return t.length() == 0 ? "" : t.append("</table>\n").toString();
    }

    /** Labels of the run's parameters, as a reader says them. */
    private static final Map<String, String> PARAMETER_LABELS = Map.ofEntries(
            Map.entry("targets", "targets"), Map.entry("levels", "connections per level"), Map.entry("request", "request"),
            Map.entry("sleepMs", "SLEEP (ms)"), Map.entry("model", "load model"), Map.entry("rate", "request rate"),
            Map.entry("pipeline", "requests in flight per connection"), Map.entry("warmup", "warm-up per level"),
            Map.entry("duration", "measured per level"), Map.entry("rampRate", "ramp (connections/s)"),
            Map.entry("connectTimeout", "connect timeout"), Map.entry("timeout", "request timeout"),
            Map.entry("sourceAddresses", "source addresses"), Map.entry("clientIoThreads", "client I/O threads"),
            Map.entry("latencyUnit", "latency unit"));

    /** A parameter as words: what was run, never an empty list or "null". */
    static Map.Entry<String, Object> inWords(Map.Entry<String, Object> e, RunResult run) {
        String label = PARAMETER_LABELS.getOrDefault(e.getKey(), e.getKey());
        Object v = e.getValue();
        String text = switch (e.getKey()) {
            case "targets" -> run.targets().stream().map(t -> t.name() + " (" + t.address() + ")").collect(Collectors.joining(", "))
                    + (v instanceof List<?> l && l.isEmpty() ? ": started by compare" : "");
            case "rate" -> v == null ? "none: closed model, each connection sends its next request when the reply comes"
                    : String.format(Locale.ROOT, "%,d requests/s in all (open model)", ((Number) v).longValue());
            case "sleepMs" -> v == null ? "not a SLEEP" : v.toString();
            case "levels" -> v instanceof List<?> l ? l.stream().map(n -> String.format(Locale.ROOT, "%,d", ((Number) n).longValue()))
                    .collect(Collectors.joining(", ")) : String.valueOf(v);
            case "sourceAddresses" -> v instanceof List<?> l && !l.isEmpty() ? l.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    : "the system's choice";
            default -> v == null ? "–" : v instanceof List<?> l ? l.stream().map(String::valueOf).collect(Collectors.joining(", ")) : v.toString();
        };
        return Map.entry(label, text);
    }

    private static void cell(StringBuilder h, Map.Entry<String, Object> e) {
        if (e == null) {
            h.append("<td></td><td></td>");
        } else {
            h.append("<td>").append(esc(e.getKey())).append("</td><td>").append(esc(String.valueOf(e.getValue()))).append("</td>");
        }
    }

    static String subtitle(RunResult run) {
        Map<String, Object> p = run.parameters();
        return String.format(Locale.ROOT, "%s, %s model, %s per level", p.get("request"), p.get("model"), p.get("duration"));
    }

    /**
     * A link to a file of the run: only a relative path becomes an {@code href} (no scheme such as
     * {@code javascript:}, no host, no way up and out); anything else is shown as text.
     */
    static String link(String path) {
        boolean relative = !path.isEmpty() && !path.contains(":") && !path.startsWith("/") && !path.startsWith("\\")
                && java.util.Arrays.stream(path.split("[/\\\\]")).noneMatch(".."::equals);
        if (!relative) {
            return esc(path);
        }
        String href = java.util.Arrays.stream(path.split("/"))
                .map(part -> java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(java.util.stream.Collectors.joining("/"));
        return "<a href=\"" + esc(href) + "\">" + esc(path) + "</a>";
    }

    /** {@code path} relative to {@code dir} when it lies inside it (a flight recording beside the report), else as given. */
    static String inside(Path dir, String path) {
        try {
            Path p = Path.of(path).toAbsolutePath().normalize();
            Path d = dir.toAbsolutePath().normalize();
            return p.startsWith(d) ? d.relativize(p).toString() : path;
        } catch (java.nio.file.InvalidPathException e) {
            return path;
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
