package dev.netplay.client.report;

import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.RunResult;
import dev.netplay.client.results.TargetResult;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One line in every chart: a target of one run, with a colour that stays the same in every chart. */
record Series(String label, TargetResult target, RunResult run, Color color, boolean dashed) {
    /**
     * Fixed colours for the known models, so that a model looks the same in every report: Okabe and Ito's palette,
     * told apart by readers with any common colour-vision deficiency.
     */
    private static final Map<String, Color> MODEL_COLORS = Map.of(
            "netty", new Color(0x0072b2),
            "threads-platform", new Color(0xe69f00),
            "threads-virtual", new Color(0x009e73),
            "threads-pool", new Color(0xd55e00),
            "netty-blocking", new Color(0xcc79a7),
            "redis", new Color(0x56b4e9));
    /** Then black and Paul Tol's muted colours, distinct from those and from each other. */
    private static final Color[] OTHER_COLORS = {new Color(0x000000), new Color(0x882255), new Color(0x44aa99), new Color(0x999933)};

    static List<Series> of(List<RunResult> runs) {
        List<Series> all = new ArrayList<>();
        int other = 0;
        for (int r = 0; r < runs.size(); r++) {
            for (TargetResult t : runs.get(r).targets()) {
                if (t.levels().isEmpty()) {
                    continue;
                }
                String label = runs.size() > 1 ? t.name() + " (run " + (r + 1) + ")" : t.name();
                Color color = MODEL_COLORS.get(t.name());
                if (color == null) {
                    color = OTHER_COLORS[other++ % OTHER_COLORS.length];
                }
                all.add(new Series(label, t, runs.get(r), color, r % 2 == 1));
            }
        }
        return all;
    }

    List<LevelResult> levels() {
        return target.levels();
    }

    LevelResult top() {
        return target.levels().get(target.levels().size() - 1);
    }
}
