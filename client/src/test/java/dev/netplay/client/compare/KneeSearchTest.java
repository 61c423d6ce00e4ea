package dev.netplay.client.compare;

import dev.netplay.client.results.Knee;
import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.Repeats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The knee search on synthetic models whose knee is known. */
class KneeSearchTest {
    private static final int REPEATS = 3;

    /** A level of a model that holds up to {@code knee} (+ {@code jitter} per repeat) and falls off above it. */
    private static LevelResult level(int connections, int knee, int repeat, int jitter) {
        int own = knee + (repeat - 2) * jitter;
        double ratio = connections <= own ? 0.995 : Math.max(0.1, 0.98 - (connections - own) / 20_000.0);
        return level(connections, ratio, connections).asRepeat(repeat);
    }

    private static LevelResult level(int connections, double ratio, int established) {
        return LevelResult.of(
                new LevelResult.Connects(connections, established, connections, 0, Map.of(), null, null, null),
                new LevelResult.Window(10, (long) (ratio * connections * 10), ratio * connections, (double) connections, ratio),
                new LevelResult.Latencies(new LevelResult.Latency(1000, 1000, ratio >= 0.99 ? 1010 : 3000, 3000, 3000, 1000, 10),
                        null, List.of()),
                new LevelResult.Errors(0, Map.of(), 0),
                new LevelResult.ServerUse(null, null, null, null, null, null), 10, null, null, null);
    }

    private static List<LevelResult> runs(int connections, int knee, int jitter) {
        List<LevelResult> runs = new ArrayList<>();
        for (int r = 1; r <= REPEATS; r++) {
            runs.add(level(connections, knee, r, jitter));
        }
        return runs;
    }

    private static List<LevelResult> sweep(int knee, int jitter, int... levels) {
        List<LevelResult> out = new ArrayList<>();
        for (int l : levels) {
            out.add(Repeats.of(runs(l, knee, jitter)));
        }
        return out;
    }

    @ParameterizedTest(name = "a knee at {0}")
    @ValueSource(ints = {5_600, 8_400, 12_345, 17_000})
    void theKneeIsFoundWithinItsToleranceAndItsSpreadSpansTheRepeats(int knee) throws Exception {
        List<Integer> probed = new ArrayList<>();
        Knee found = KneeSearch.find(sweep(knee, 300, 1_000, 5_000, 10_000, 19_000), c -> {
            probed.add(c);
            return runs(c, knee, 300);
        }, 1000.0);

        int tolerance = (int) Math.max(KneeSearch.TOLERANCE_FRACTION * 19_000, KneeSearch.TOLERANCE_CONNECTIONS);
        assertThat(found.connections()).isBetween(knee - tolerance, knee);
        assertThat(found.min()).isLessThanOrEqualTo(found.connections());
        assertThat(found.max()).isGreaterThanOrEqualTo(found.connections());
        assertThat(found.above()).isFalse();
        assertThat(found.probes()).extracting(LevelResult::connections).containsExactlyElementsOf(probed);
        assertThat(probed).hasSizeLessThanOrEqualTo(KneeSearch.MAX_PROBES);
        assertThat(found.p99Knee()).as("p99 held wherever C/D did, here").isEqualTo(found.connections());
    }

    @Test
    void aModelThatHoldsEverywhereIsNotProbedAndItsKneeLiesAbove() throws Exception {
        Knee found = KneeSearch.find(sweep(1_000_000, 0, 1_000, 19_000), c -> {
            throw new AssertionError("no bracket: nothing to probe");
        }, 1000.0);
        assertThat(found.connections()).isEqualTo(19_000);
        assertThat(found.above()).isTrue();
        assertThat(found.probes()).isEmpty();
    }

    @Test
    void aModelThatHoldsNowhereHasNoKnee() throws Exception {
        Knee found = KneeSearch.find(sweep(10, 0, 1_000, 5_000), c -> {
            throw new AssertionError("nothing held: no lower edge");
        }, 1000.0);
        assertThat(found.connections()).isNull();
    }

    @Test
    void theSearchStopsWhenALevelFailsToConnect() throws Exception {
        List<Integer> probed = new ArrayList<>();
        Knee found = KneeSearch.find(sweep(12_000, 0, 1_000, 10_000, 19_000), c -> {
            probed.add(c);
            return List.of(level(c, 0, 0).asRepeat(1), level(c, 0, 0).asRepeat(2), level(c, 0, 0).asRepeat(3));
        }, 1000.0);
        assertThat(probed).containsExactly(14_500);
        assertThat(found.connections()).isEqualTo(10_000);
        assertThat(found.note()).contains("14500").contains("no connection came up");
    }

    @Test
    void aLevelWithConnectionsMissingDidNotHold() {
        assertThat(KneeSearch.held(level(10_000, 0.999, 9_990))).isFalse();
        assertThat(KneeSearch.held(level(10_000, 0.99, 10_000))).isTrue();
        assertThat(KneeSearch.held(level(10_000, 0.9899, 10_000))).isFalse();
    }

    @Test
    void theRepeatsGoWhereTheModelIsWithinReachOfItsKnee() {
        // held, held, bent, collapsed, collapsed: from the last held to the first collapsed
        assertThat(KneeSearch.withinReach(List.of(level(1_000, 1.0, 1_000), level(5_000, 0.995, 5_000), level(10_000, 0.8, 10_000),
                level(15_000, 0.45, 15_000), level(19_000, 0.3, 19_000)))).containsExactly(5_000, 10_000, 15_000);
        assertThat(KneeSearch.withinReach(List.of(level(1_000, 1.0, 1_000), level(19_000, 0.999, 19_000))))
                .as("held everywhere: its top level").containsExactly(19_000);
        assertThat(KneeSearch.withinReach(List.of(level(1_000, 0.2, 1_000), level(5_000, 0.04, 5_000))))
                .as("held nowhere: its bend lies below every level").isEmpty();
        assertThat(KneeSearch.withinReach(List.of(level(1_000, 1.0, 1_000), level(5_000, 0.9, 5_000), level(10_000, 0.99, 10_000))))
                .as("a level that held above one that did not is within reach too").containsExactly(1_000, 5_000, 10_000);
    }

    @Test
    void aLevelTheClientBoundIsNotTheModelsFailureTheSearchStopsThere() throws Exception {
        LevelResult bound = withBound(level(19_000, 0.85, 19_000), dev.netplay.client.results.Bound.CLIENT_CPU);
        List<LevelResult> sweep = List.of(level(1_000, 1.0, 1_000), level(10_000, 0.999, 10_000), bound);
        Knee found = KneeSearch.find(sweep, c -> {
            throw new AssertionError("the client, not the model, bent at the top: nothing to probe");
        }, 1000.0);
        assertThat(found.connections()).isEqualTo(10_000);
        assertThat(found.above()).isTrue();
        assertThat(found.note()).contains("at 19,000 the load client bound the level (client-cpu)");
        assertThat(dev.netplay.client.results.SummaryTable.kneeText(found)).startsWith("holds at least 10,000 connections");
    }

    private static LevelResult withBound(LevelResult l, dev.netplay.client.results.Bound bound) {
        dev.netplay.client.results.Diagnosis d = dev.netplay.client.results.Fixtures.diagnosis("serverCpus", "1", "clientCpus", "0",
                "machineCpuPercent", 90.0, "serverCoresPercent", 50.0, "clientCoresPercent", 100.0, "serverCpuPercent", 50.0,
                "clientCpuPercent", 100.0, "bound", bound, "stealPercent", 0.0, "otherCpuPercent", 0.0, "clientLagP50Ms", 1.0,
                "clientLagP99Ms", 200.0);
        return new LevelResult(l.connects(), l.window(), l.latencies(), l.failures(), l.server(), l.clientCpuPercent(), l.hlog(),
                l.note(), d, null, null, null, null, null, null, null, null);
    }

    /** Each repeat is a fresh server: one repeat's dip at a low level is that level's spread, not that repeat's knee. */
    @Test
    void aRepeatsDipAtALowLevelDoesNotBecomeItsKnee() throws Exception {
        List<LevelResult> at5000 = runs(5_000, 9_000, 0);
        at5000.set(1, level(5_000, 0.988, 5_000).asRepeat(2)); // 98.8% once, as a real run had it
        List<LevelResult> sweep = List.of(Repeats.of(runs(1_000, 9_000, 0)), Repeats.of(at5000), Repeats.of(runs(10_000, 9_000, 0)));
        Knee found = KneeSearch.find(sweep, c -> runs(c, 9_000, 0), 1000.0);
        int tolerance = (int) Math.max(KneeSearch.TOLERANCE_FRACTION * 10_000, KneeSearch.TOLERANCE_CONNECTIONS);
        assertThat(found.connections()).isBetween(9_000 - tolerance, 9_000);
        assertThat(found.min()).as("the dipping repeat held up to the knee too").isEqualTo(found.connections());
    }
}
