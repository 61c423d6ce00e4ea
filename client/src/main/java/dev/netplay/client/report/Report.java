package dev.netplay.client.report;

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

/** report.html: parameters, machine, summary table, charts and findings; images beside it, readable offline. */
public final class Report {
    public static final String FILE = "report.html";

    private Report() {
    }

    /** Draws the charts and writes report.html into {@code dir}; returns the report's path. */
    public static Path write(List<RunResult> runs, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Series> series = Series.of(runs);
        List<ChartSet.Chart> charts = new ChartSet(series, subtitle(runs.get(0)), dir).drawAll();
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>netplay report</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .5em}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}\n")
                .append("small.range{color:#666}small.unstable{color:#b00;font-weight:bold}\n")
                .append("figure{margin:2em 0}img{max-width:100%;border:1px solid #eee}figcaption{color:#555;font-size:.9em}\n")
                .append("code,pre{background:#f6f6f6;padding:.1em .3em}pre{padding:.6em;overflow-x:auto}\n")
                .append("</style>\n</head>\n<body>\n<h1>netplay: event loop against thread per connection</h1>\n");
        h.append("<h2>What this shows</h2>\n<ul>\n");
        for (String finding : Findings.of(series)) {
            h.append("<li>").append(esc(finding)).append("</li>\n");
        }
        h.append("</ul>\n");
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
        h.append(kneeTable(series));
        h.append("<h2>Summary</h2>\n").append(summaryTable(series));
        h.append("<h2>Why: CPUs, scheduler, GC per level</h2>\n").append(costsTable(series));
        h.append(backendTable(series));
        h.append(byCommandTable(series));
        h.append(launchTable(series));
        h.append("<h2>Charts</h2>\n");
        for (ChartSet.Chart c : charts) {
            String svg = c.file().replace(".png", ".svg");
            h.append("<figure>\n<img src=\"").append(esc(c.file())).append("\" alt=\"").append(esc(c.title())).append("\">\n")
                    .append("<figcaption>").append(esc(c.caption())).append(" <a href=\"").append(esc(svg)).append("\">SVG</a></figcaption>\n</figure>\n");
        }
        h.append("<p>Raw data: <code>results.json</code>, <code>results.csv</code> and one HdrHistogram interval log (<code>.hlog</code>, values in ns) per model and level.</p>\n");
        h.append("</body>\n</html>\n");
        Path report = dir.resolve(FILE);
        Files.writeString(report, h.toString(), StandardCharsets.UTF_8);
        return report;
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
        List<Figure<LevelResult>> figures = new ArrayList<>();
        if (table != Figure.Table.SUMMARY) {
            figures.add(Figures.ALL.get(0)); // the connections
        }
        Figures.of(table).stream().filter(f -> f.html() != null).forEach(figures::add);
        StringBuilder rows = new StringBuilder();
        for (Series s : series) {
            for (LevelResult l : s.levels()) {
                if (!Figures.hasRow(table, l)) {
                    continue;
                }
                rows.append("<tr><td>").append(esc(s.label())).append("</td>");
                for (Figure<LevelResult> f : figures) {
                    rangedCell(rows, f, l);
                }
                rows.append("</tr>\n");
            }
        }
        if (rows.length() == 0) {
            return "";
        }
        StringBuilder t = new StringBuilder("<table>\n<tr><th>model</th>");
        figures.forEach(f -> t.append("<th>").append(esc(f.html().header())).append("</th>"));
        return t.append("</tr>\n").append(rows).append("</table>\n").toString();
    }

    /** With a mix: each request's own figures per level, so that what slow requests do to fast ones shows. */
    private static String byCommandTable(List<Series> series) {
        List<Figure<Figures.CommandRow>> figures = Figures.BY_COMMAND.stream().filter(f -> f.html() != null).toList();
        Figure<LevelResult> connections = Figures.ALL.get(0);
        StringBuilder rows = new StringBuilder();
        for (Series s : series) {
            for (LevelResult l : s.levels()) {
                for (Figures.CommandRow row : Figures.CommandRow.of(l)) {
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
        StringBuilder t = new StringBuilder("<h2>By request (--mix)</h2>\n<table>\n<tr><th>model</th><th>")
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
    private static String launchTable(List<Series> series) {
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
                    .append("</code></td><td>").append(jfr == null ? "–" : "<a href=\"" + esc(jfr.toString()) + "\">" + esc(jfr.toString())
                            + "</a> (open in JDK Mission Control)").append("</td></tr>\n");
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

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
