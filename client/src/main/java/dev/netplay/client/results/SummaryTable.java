package dev.netplay.client.results;

import java.util.ArrayList;
import java.util.List;

/** The table printed at the end of a run, one row per target and level, read like wrk's summary. */
public final class SummaryTable {
    /** The row key every table starts with: the target's name. */
    private static final int TARGET_WIDTH = -18;

    private SummaryTable() {
    }

    /** With {@code --mix}: each request's own figures per level; empty when no level has them. */
    public static String renderByCommand(RunResult run) {
        return rowsTable(run, Figures.BY_COMMAND, Figures.CommandRow::of);
    }

    /** A merge's hosts: each host's part of each level ({@code client merge}); empty for a run of one host. */
    public static String renderHosts(RunResult run) {
        return rowsTable(run, Figures.BY_HOST, Figures.HostRow::of);
    }

    /** A table of rows within levels (a mix's requests, a merge's hosts): the target and connections, then each row's figures. */
    private static <R> String rowsTable(RunResult run, List<Figure<R>> catalogue, java.util.function.Function<LevelResult, List<R>> rowsOf) {
        List<Figure<R>> figures = catalogue.stream().filter(f -> f.text() != null).toList();
        StringBuilder rows = new StringBuilder();
        for (TargetResult t : run.targets()) {
            for (LevelResult l : t.levels()) {
                for (R row : rowsOf.apply(l)) {
                    rows.append(Figure.pad(t.name(), TARGET_WIDTH)).append(' ').append(Figures.ALL.get(0).textCell(l));
                    figures.forEach(f -> rows.append(' ').append(f.textCell(row)));
                    rows.append('\n');
                }
            }
        }
        if (rows.length() == 0) {
            return "";
        }
        StringBuilder header = new StringBuilder(Figure.pad("target", TARGET_WIDTH)).append(' ').append(Figures.ALL.get(0).textHeader());
        figures.forEach(f -> header.append(' ').append(f.textHeader()));
        return header.append('\n').append(rows).toString();
    }

    /**
     * Why each level looks as it does: CPUs (srv/cli: the sets; srv%/cli%: each process's CPU, % of its set), CPU per
     * request in user and kernel mode, context switches and run-queue wait per request, GC, live heap per connection,
     * and how late the server's SLEEPs resumed (ms).
     */
    public static String renderCosts(RunResult run) {
        return table(run, Figure.Table.COSTS);
    }

    /** With FETCH or GATHER: what the backend did over each level's window; empty when no level has it. */
    public static String renderBackend(RunResult run) {
        return table(run, Figure.Table.BACKEND);
    }

    /** With {@code --knee}: each model's knee, its spread over the repeats, and the levels probed; empty without. */
    public static String renderKnees(RunResult run) {
        StringBuilder out = new StringBuilder();
        for (TargetResult t : run.targets()) {
            if (t.knee() != null) {
                out.append(Figure.pad(t.name(), TARGET_WIDTH)).append(' ').append(kneeText(t.knee())).append('\n');
            }
        }
        return out.length() == 0 ? "" : "knee: the most connections still completing 99% of C/D\n" + out;
    }

    /** "holds 8,400 (7,900–9,100) connections", "holds every level up to 19,000", with the p99 knee and the probes. */
    public static String kneeText(Knee k) {
        StringBuilder s = new StringBuilder();
        if (k.connections() == null) {
            s.append("held at no level measured");
        } else if (k.above() && k.note() != null) {
            s.append(String.format(java.util.Locale.ROOT, "holds at least %,d connections", k.connections()));
        } else if (k.above()) {
            s.append(String.format(java.util.Locale.ROOT, "held at every level, up to %,d: its knee lies above", k.connections()));
        } else {
            s.append(String.format(java.util.Locale.ROOT, "holds %,d", k.connections()));
            if (k.min() != null && !k.min().equals(k.max())) {
                s.append(String.format(java.util.Locale.ROOT, " (%,d–%,d over the repeats)", k.min(), k.max()));
            }
            s.append(" connections");
        }
        if (k.p99Knee() != null) {
            s.append(String.format(java.util.Locale.ROOT, "; p99 within 1.05 x D up to %,d", k.p99Knee()));
        }
        if (!k.probes().isEmpty()) {
            s.append("; probed ").append(String.join(", ", k.probes().stream()
                    .map(l -> String.format(java.util.Locale.ROOT, "%,d (%.1f%%)", l.connections(),
                            l.achievedRatio() == null ? Double.NaN : l.achievedRatio() * 100)).toList()));
        }
        if (k.note() != null) {
            s.append("; ").append(k.note());
        }
        return s.toString();
    }

    /** The summary: throughput against Little's law, latency, errors, and what the server used. */
    public static String render(RunResult run) {
        return table(run, Figure.Table.SUMMARY);
    }

    /**
     * One table of the catalogue ({@link Figures}): a row per target and level that has the table's figures, with the
     * target and (past the summary, whose first figure it is) the connections first; empty if no level has a row.
     * A level's note follows its summary row.
     */
    private static String table(RunResult run, Figure.Table table) {
        List<Figure<LevelResult>> figures = new ArrayList<>();
        if (table != Figure.Table.SUMMARY) {
            figures.add(Figures.ALL.get(0)); // the connections
        }
        Figures.of(table).stream().filter(f -> f.text() != null).forEach(figures::add);
        StringBuilder rows = new StringBuilder();
        for (TargetResult t : run.targets()) {
            for (LevelResult l : t.levels()) {
                if (!Figures.hasRow(table, l)) {
                    continue;
                }
                rows.append(Figure.pad(t.name(), TARGET_WIDTH));
                figures.forEach(f -> rows.append(' ').append(f.textCell(l)));
                rows.append('\n');
                if (table == Figure.Table.SUMMARY && l.note() != null) {
                    rows.append("    note: ").append(l.note()).append('\n');
                }
            }
        }
        if (rows.length() == 0 && table != Figure.Table.SUMMARY) {
            return "";
        }
        StringBuilder header = new StringBuilder(Figure.pad("target", TARGET_WIDTH));
        figures.forEach(f -> header.append(' ').append(f.textHeader()));
        return header.append('\n').append(rows).toString();
    }
}
