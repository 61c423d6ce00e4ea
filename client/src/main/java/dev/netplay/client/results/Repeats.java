package dev.netplay.client.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A level measured several times: its figures are the repeats' medians, figure by figure, and every repeat is kept
 * beside them. A figure that is not a number (the bound, the CPU lists, a distribution) is the median repeat's: the
 * one whose share of C/D (else throughput) is the median.
 */
public final class Repeats {
    /** Repeats whose shares of C/D lie further apart than this (percentage points) mark the level unstable. */
    public static final double UNSTABLE_POINTS = 5;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Medians are rounded to this many parts of a unit: every figure's own precision is coarser. */
    private static final double FIGURE_SCALE = 1e5;
    private static final List<String> OWN_FIELDS = List.of("repeat", "repeats");

    private Repeats() {
    }

    /** A figure's least, median and greatest value over a level's repeats. */
    public record Range(double min, double median, double max, int count) {
        public double spread() {
            return max - min;
        }
    }

    /** One model's sweeps, one per repeat, as one target: each level the median of its repeats, every repeat kept. */
    public static TargetResult merge(List<TargetResult> sweeps) {
        TargetResult first = sweeps.get(0);
        if (sweeps.size() == 1) {
            return first;
        }
        // A later sweep may measure fewer levels (those within reach of the knee): a level measured once stays as it is.
        Map<Integer, List<LevelResult>> byLevel = new java.util.TreeMap<>();
        Map<Integer, List<Integer>> sweepOf = new java.util.HashMap<>();
        for (int r = 0; r < sweeps.size(); r++) {
            for (LevelResult l : sweeps.get(r).levels()) {
                byLevel.computeIfAbsent(l.connections(), k -> new ArrayList<>()).add(l);
                sweepOf.computeIfAbsent(l.connections(), k -> new ArrayList<>()).add(r + 1);
            }
        }
        List<LevelResult> levels = new ArrayList<>();
        byLevel.forEach((connections, runs) -> {
            if (runs.size() == 1) {
                levels.add(runs.get(0));
            } else {
                List<LevelResult> marked = new ArrayList<>();
                for (int i = 0; i < runs.size(); i++) {
                    marked.add(runs.get(i).asRepeat(sweepOf.get(connections).get(i)));
                }
                levels.add(of(marked));
            }
        });
        Map<String, Long> totals = new LinkedHashMap<>();
        for (TargetResult t : sweeps) {
            t.totals().forEach((k, v) -> totals.merge(k, v == null ? 0 : v, Long::sum));
        }
        Map<String, Object> launch = new LinkedHashMap<>(first.launch());
        launch.put("repeats", sweeps.size());
        return new TargetResult(first.name(), first.address(), first.server(), levels, totals, launch);
    }

    /** The level of these repeats (each marked with its number): the medians, with every repeat kept. */
    public static LevelResult of(List<LevelResult> runs) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        LevelResult middle = medianRun(runs);
        List<JsonNode> trees = runs.stream().map(l -> (JsonNode) MAPPER.valueToTree(l)).toList();
        JsonNode merged = median(trees, MAPPER.valueToTree(middle));
        ((ObjectNode) merged).remove(OWN_FIELDS);
        LevelResult level = MAPPER.convertValue(merged, LevelResult.class);
        return level.withRepeats(List.copyOf(runs));
    }

    /** The repeat whose C/D share (else throughput) is the median; of two in the middle, the lower. */
    static LevelResult medianRun(List<LevelResult> runs) {
        List<LevelResult> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(l -> l.achievedRatio() != null ? l.achievedRatio() : l.throughputRps()));
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** Object fields merge field by field; numbers take their median; anything else is the median repeat's. */
    private static JsonNode median(List<JsonNode> nodes, JsonNode middle) {
        if (middle.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            middle.fieldNames().forEachRemaining(name -> out.set(name,
                    median(nodes.stream().map(n -> n == null ? null : n.get(name)).toList(), middle.get(name))));
            return out;
        }
        if (!middle.isNumber()) {
            return middle;
        }
        List<Double> values = new ArrayList<>();
        boolean integral = true;
        for (JsonNode n : nodes) {
            if (n != null && n.isNumber()) {
                values.add(n.doubleValue());
                integral &= n.isIntegralNumber();
            }
        }
        double m = median(values);
        // The mean of two doubles picks up binary noise (3.0650000000000004): no figure here has more than 4 places.
        return integral ? JsonNodeFactory.instance.numberNode(Math.round(m))
                : JsonNodeFactory.instance.numberNode(Math.round(m * FIGURE_SCALE) / FIGURE_SCALE);
    }

    /** The median of some values: the middle one, or the mean of the two in the middle. */
    public static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A numeric figure over a level's repeats (or its one measurement); null where no repeat knows it. */
    public static Range range(LevelResult level, Function<LevelResult, ?> figure) {
        List<Double> values = new ArrayList<>();
        for (LevelResult run : level.runs()) {
            Object v = figure.apply(run);
            if (v instanceof Number n) {
                values.add(n.doubleValue());
            }
        }
        if (values.isEmpty()) {
            return null;
        }
        return new Range(values.stream().min(Double::compare).get(), median(values), values.stream().max(Double::compare).get(),
                values.size());
    }

    /** Whether the repeats' shares of C/D lie more than {@link #UNSTABLE_POINTS} apart. */
    public static boolean unstable(LevelResult level) {
        Range r = range(level, LevelResult::achievedRatio);
        return r != null && r.count() > 1 && r.spread() * 100 > UNSTABLE_POINTS + 1e-9;
    }

    /** The repeats whose level was labelled with this bound, by number (1, 2 ...); empty if none or measured once. */
    public static List<Integer> withBound(LevelResult level, Bound bound) {
        List<Integer> out = new ArrayList<>();
        if (level.repeats() == null) {
            return out;
        }
        for (LevelResult run : level.repeats()) {
            if (run.diagnosis() != null && run.diagnosis().bound() == bound && run.repeat() != null) {
                out.add(run.repeat());
            }
        }
        return out;
    }
}
