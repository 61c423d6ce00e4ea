package dev.netplay.client.compare;

import dev.netplay.client.results.Knee;
import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.Repeats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's knee: the most connections at which it still completes {@link #HELD} of C/D. Found by bisection between
 * the highest level that held and the lowest that did not, each probe measured as often as the levels were, until
 * the bracket is narrower than {@link #TOLERANCE_FRACTION} of its top or {@link #TOLERANCE_CONNECTIONS}, whichever is
 * more. Each repeat gives its own knee (the highest level where that repeat held, below the first level whose median
 * did not); the knee is their median and its
 * spread their range. The search is a pure function of how it probes: {@link Prober}.
 */
public final class KneeSearch {
    /** The share of C/D a level must complete to hold. */
    public static final double HELD = 0.99;
    /** A latency knee too: p99 at most this many times the request's duration D. */
    public static final double P99_OF_D = 1.05;
    /** Stop when the bracket is at most this share of its top ... */
    public static final double TOLERANCE_FRACTION = 0.05;
    /** ... or this many connections, whichever is more. */
    public static final int TOLERANCE_CONNECTIONS = 500;
    /** No search runs away: at most this many probes per model (a bracket of 20,000 needs 6). */
    public static final int MAX_PROBES = 8;

    /** Measures one level of one model, as often as the levels were; returns its repeats (one level's runs). */
    @FunctionalInterface
    public interface Prober {
        List<LevelResult> probe(int connections) throws Exception;
    }

    private KneeSearch() {
    }

    /** Below this share of C/D a level has collapsed: repeating it, or any level above, says nothing new. */
    public static final double COLLAPSED = 0.5;

    /**
     * The levels of a model's first sweep worth measuring again: from the highest level up to which it held, to the
     * first above it that collapsed (or the top). A model that held nowhere has bent below every level and gets none;
     * one that held everywhere gets its top level, where its draws (a long GC pause) decide.
     */
    public static List<Integer> withinReach(List<LevelResult> sweep) {
        List<LevelResult> sorted = new ArrayList<>(sweep);
        sorted.sort(Comparator.comparingInt(LevelResult::connections));
        int lastHeld = -1;
        for (int i = 0; i < sorted.size() && held(sorted.get(i)); i++) {
            lastHeld = i;
        }
        List<Integer> out = new ArrayList<>();
        if (lastHeld < 0) {
            return out;
        }
        for (int i = lastHeld; i < sorted.size(); i++) {
            out.add(sorted.get(i).connections());
            Double ratio = sorted.get(i).achievedRatio();
            if (i > lastHeld && (ratio == null || ratio < COLLAPSED)) {
                break;
            }
        }
        return out;
    }

    /** Whether a level held: its C/D share at least {@link #HELD}, and every connection up. */
    public static boolean held(LevelResult l) {
        return l.achievedRatio() != null && l.achievedRatio() >= HELD && l.connectionsEstablished() >= l.connections();
    }

    /** A level that did not measure the model: the load client or the machine bound it (its median repeat's label). */
    static boolean disturbed(LevelResult l) {
        return l.diagnosis() != null && l.diagnosis().bound() != null && l.diagnosis().bound().disturbed();
    }

    private static String limit(int connections, LevelResult l) {
        return String.format(java.util.Locale.ROOT, "at %,d the %s bound the level (%s), not the model: its knee lies higher, unseen",
                connections, l.diagnosis().bound() == dev.netplay.client.results.Bound.MACHINE ? "machine" : "load client",
                l.diagnosis().bound().label());
    }

    /** A level whose connections never came up: the server is gone or refuses; nothing above it can be learned. */
    static boolean unreachable(List<LevelResult> runs) {
        return runs.stream().allMatch(l -> l.connectionsEstablished() == 0);
    }

    /**
     * Searches above the sweep's levels (each the median of its repeats, the repeats inside) with {@code prober};
     * {@code sleepMs} is D for the p99 knee (null: unknown).
     */
    public static Knee find(List<LevelResult> sweep, Prober prober, Double sleepMs) throws Exception {
        TreeMap<Integer, List<LevelResult>> measured = new TreeMap<>();
        sweep.forEach(l -> measured.put(l.connections(), l.runs()));
        Integer lo = null;
        Integer hi = null;
        for (Map.Entry<Integer, List<LevelResult>> e : measured.entrySet()) {
            if (held(Repeats.of(e.getValue()))) {
                lo = e.getKey();
            } else {
                hi = e.getKey();
                break;
            }
        }
        List<Integer> probes = new ArrayList<>();
        String note = null;
        boolean above = hi == null;
        if (hi != null && lo != null && disturbed(Repeats.of(measured.get(hi)))) {
            note = limit(hi, Repeats.of(measured.get(hi)));
            above = true;
            hi = null;
        }
        if (hi != null && lo != null) {
            while (hi - lo > Math.max(TOLERANCE_FRACTION * hi, TOLERANCE_CONNECTIONS) && probes.size() < MAX_PROBES) {
                int mid = (lo + hi) / 2;
                List<LevelResult> runs = prober.probe(mid);
                probes.add(mid);
                measured.put(mid, runs);
                if (unreachable(runs)) {
                    note = "the search stopped at " + mid + ": no connection came up";
                    hi = mid;
                    break;
                }
                LevelResult median = Repeats.of(runs);
                if (held(median)) {
                    lo = mid;
                } else if (disturbed(median)) {
                    note = limit(mid, median); // the client or the machine gave out first: the model's edge is not seen
                    above = true;
                    break;
                } else {
                    hi = mid;
                }
            }
        }
        List<LevelResult> probed = probes.stream().map(p -> Repeats.of(measured.get(p))).toList();
        return knee(measured, lo, above, probed, note, sleepMs);
    }

    /** Each repeat's knee: the highest level where that repeat held, below the first level the median did not hold. */
    private static Knee knee(TreeMap<Integer, List<LevelResult>> measured, Integer lo, boolean above, List<LevelResult> probes,
                             String note, Double sleepMs) {
        Integer p99 = null;
        for (Map.Entry<Integer, List<LevelResult>> e : measured.entrySet()) {
            LevelResult median = Repeats.of(e.getValue());
            // Only a level that held counts: requests that never completed have no latency, and would flatter the p99.
            if (sleepMs != null && held(median) && median.latency() != null && median.latency().p99Ms() <= P99_OF_D * sleepMs) {
                p99 = e.getKey();
            } else if (sleepMs != null) {
                break;
            }
        }
        if (lo == null) {
            return new Knee(null, null, null, false, p99, probes, note);
        }
        // Each repeat of a level is a fresh server: repeat r of one level and of the next are no one process's story.
        // A repeat's knee is so the highest level it held below the first level whose median did not: one repeat's
        // dip at a low level (98.8% at 5,000, then 99.8% at 9,687) shows in that level's range, not as a knee of 1,000.
        Integer fail = null;
        for (Map.Entry<Integer, List<LevelResult>> e : measured.entrySet()) {
            if (e.getKey() > lo && !held(Repeats.of(e.getValue()))) {
                fail = e.getKey();
                break;
            }
        }
        int repeats = measured.values().stream().mapToInt(List::size).max().orElse(1);
        List<Double> knees = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            Integer knee = null;
            for (Map.Entry<Integer, List<LevelResult>> e : measured.entrySet()) {
                if (fail != null && e.getKey() >= fail) {
                    break;
                }
                List<LevelResult> runs = e.getValue();
                if (held(runs.get(Math.min(r, runs.size() - 1)))) {
                    knee = e.getKey();
                }
            }
            if (knee != null) {
                knees.add((double) knee);
            }
        }
        if (knees.isEmpty()) {
            return new Knee(lo, lo, lo, above, p99, probes, note);
        }
        return new Knee((int) Math.round(Repeats.median(knees)), knees.stream().min(Comparator.naturalOrder()).get().intValue(),
                knees.stream().max(Comparator.naturalOrder()).get().intValue(), above, p99, probes, note);
    }
}
