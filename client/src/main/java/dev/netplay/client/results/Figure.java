package dev.netplay.client.results;

import java.util.Locale;
import java.util.function.Function;

/**
 * One figure of a level (or of a request of a level's mix: {@code R}), as every output prints it: its name in results.csv, its header and format in the text tables
 * and in report.html (null: that output leaves it out), and how it is read from a {@link LevelResult}. The catalogue
 * is {@link Figures}; the tables and the CSV are rendered from it, so that a figure is added in one place.
 *
 * @param table what it belongs to: a row of the summary, of the costs ("why") table, of the backend table
 * @param csv   its column in results.csv
 * @param value the figure (a Number, a String or a {@link Bound}) of a row, null where unknown
 * @param text  how the text tables show it, or null
 * @param html  how report.html shows it, or null
 * @param chart its chart against connections (report.html, and a PNG where it says so), or null
 */
public record Figure<R>(Table table, String csv, Function<R, Object> value, Shown text, Shown html, Chart chart) {
    /** The tables a figure can belong to; each is printed with the target and the connections first. */
    public enum Table { SUMMARY, COSTS, BACKEND, BY_COMMAND, BY_HOST }

    /** A figure without a chart. */
    public Figure(Table table, String csv, Function<R, Object> value, Shown text, Shown html) {
        this(table, csv, value, text, html, null);
    }

    /** This figure, drawn against connections as {@code c} says. */
    public Figure<R> charted(Chart c) {
        return new Figure<>(table, csv, value, text, html, c);
    }

    /** Where a chart stands in report.html: the answer at the top, the why below it, the details last. */
    public enum Section { ANSWER, WHY, DETAIL }

    /**
     * A figure's chart: one line per target against connections, in report.html (interactive) and, where
     * {@code picture}, as a PNG and SVG beside the results.
     *
     * @param id      its anchor in report.html and its file name
     * @param section where report.html puts it
     * @param title   its title (the PNG adds "vs connections")
     * @param unit    the unit of a value, as a tooltip writes it
     * @param axis    the value axis's title
     * @param log     whether the value axis starts logarithmic
     * @param picture whether it is also drawn as a PNG (some figures have a richer picture of their own)
     * @param caption what it shows and how it was measured
     */
    public record Chart(String id, Section section, String title, String unit, String axis, boolean log, boolean picture,
                        String caption) {
    }

    /** The figure's value at {@code level} as a chart plots it: null where unknown or not a number. */
    public Double plotted(R level) {
        return of(level) instanceof Number n ? n.doubleValue() : null;
    }

    /**
     * A figure in one output.
     *
     * @param header its column header, the unit in it
     * @param width  the text column's width (negative: left-aligned); unused in HTML
     * @param format how a known value is written
     */
    public record Shown(String header, int width, Function<Object, String> format) {
    }

    /** A printf pattern (Locale.ROOT) as a format; {@code scale} multiplies a number first (e.g. 100 for a ratio in %). */
    public static Function<Object, String> printf(String pattern, double scale) {
        return v -> String.format(Locale.ROOT, pattern, scale == 1 || !(v instanceof Number n) ? v : n.doubleValue() * scale);
    }

    public static Function<Object, String> printf(String pattern) {
        return printf(pattern, 1);
    }

    /** Milliseconds as the text table writes them: two decimals below 100, one above. */
    public static final Function<Object, String> MILLIS = v -> String.format(Locale.ROOT,
            ((Number) v).doubleValue() >= 100 ? "%.1f" : "%.2f", ((Number) v).doubleValue());

    /** Text as it is; a {@link Bound} by its label. */
    public static final Function<Object, String> AS_TEXT = v -> v instanceof Bound b ? b.label : String.valueOf(v);

    /** What the text tables write where a figure is unknown. */
    public static final String TEXT_UNKNOWN = "-";
    /** What report.html writes where a figure is unknown. */
    public static final String HTML_UNKNOWN = "–";

    /** Its value in {@code level}, null where unknown. */
    public Object of(R level) {
        return value.apply(level);
    }

    /** Its text-table cell, padded to the column's width. */
    public String textCell(R level) {
        Object v = of(level);
        return pad(v == null ? TEXT_UNKNOWN : text.format().apply(v), text.width());
    }

    /** Its text-table header, padded to the column's width. */
    public String textHeader() {
        return pad(text.header(), text.width());
    }

    /** Its report.html cell text, unescaped; null where unknown. */
    public String htmlText(R level) {
        Object v = of(level);
        return v == null ? null : html.format().apply(v);
    }

    /** Its results.csv cell: numbers as they are (whole ones without ".0"), text quoted where it needs it. */
    public String csvCell(R level) {
        Object v = of(level);
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : String.format(Locale.ROOT, "%s", d);
        }
        if (v instanceof Number n) {
            return n.toString();
        }
        String s = AS_TEXT.apply(v);
        return s.contains(",") || s.contains("\"") || v instanceof CpuSet ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** A CPU list (e.g. {@code 0-1}), which results.csv quotes so that a spreadsheet does not read {@code 1} as a number. */
    public record CpuSet(String list) {
        @Override
        public String toString() {
            return list;
        }
    }

    static String pad(String s, int width) {
        return width < 0 ? String.format(Locale.ROOT, "%-" + (-width) + "s", s) : String.format(Locale.ROOT, "%" + width + "s", s);
    }
}
