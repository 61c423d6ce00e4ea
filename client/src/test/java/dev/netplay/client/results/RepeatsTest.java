package dev.netplay.client.results;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A level measured several times, on made-up repeats: medians figure by figure, ranges, the unstable mark at its edge. */
class RepeatsTest {
    /** A level of 10,000 connections whose repeat completed {@code ratio} of C/D, with a p99 and a bound. */
    static LevelResult level(int connections, double ratio, double p99, long threads, Bound bound) {
        double ideal = connections;
        return LevelResult.of(
                new LevelResult.Connects(connections, connections, connections, 0, Map.of("refused", 0L), 1.0, 2.0, 3.0),
                new LevelResult.Window(10.0, (long) (ratio * ideal * 10), ratio * ideal, ideal, ratio, ratio * ideal, null),
                new LevelResult.Latencies(new LevelResult.Latency(1000, 1001, p99, p99, p99, 1000, 100), null,
                        List.of(new double[] {50, 1000}, new double[] {99, p99})),
                new LevelResult.Errors(0, Map.of("timeouts", 0L), 0),
                new LevelResult.ServerUse(threads, 1L << 30, 1024.0, 10.0, (long) connections, ratio * ideal),
                20.0, "x.hlog", null,
                Fixtures.diagnosis("serverCpus", "1", "clientCpus", "0", "serverCoresPercent", 40.0, "clientCoresPercent", 30.0,
                        "bound", bound, "serverCpuUsPerRequest", 50.0, "ctxSwitchesPerReq", 2.0, "runqueueWaitUsPerReq", 5.0,
                        "schedThreads", threads));
    }

    @Test
    void aLevelsFiguresAreTheMediansOfItsRepeatsAndEveryRepeatIsKept() {
        LevelResult merged = Repeats.of(List.of(level(10_000, 0.59, 2_800, 10_008, Bound.SERVER_CPU).asRepeat(1),
                level(10_000, 0.97, 1_200, 10_010, Bound.NONE).asRepeat(2),
                level(10_000, 0.76, 2_000, 10_004, Bound.SERVER_CPU).asRepeat(3)));

        assertThat(merged.achievedRatio()).isEqualTo(0.76);
        assertThat(merged.latency().p99Ms()).isEqualTo(2_000);
        assertThat(merged.serverThreads()).as("a whole number stays whole").isEqualTo(10_008L);
        assertThat(merged.diagnosis().bound()).as("not a number: the median repeat's").isEqualTo(Bound.SERVER_CPU);
        assertThat(merged.repeats()).extracting(LevelResult::repeat).containsExactly(1, 2, 3);
        assertThat(merged.repeat()).isNull();
        assertThat(merged.runs()).hasSize(3);

        Repeats.Range ratio = Repeats.range(merged, LevelResult::achievedRatio);
        assertThat(ratio.min()).isEqualTo(0.59);
        assertThat(ratio.median()).isEqualTo(0.76);
        assertThat(ratio.max()).isEqualTo(0.97);
        assertThat(Repeats.unstable(merged)).isTrue();
        assertThat(Repeats.withBound(merged, Bound.SERVER_CPU)).containsExactly(1, 3);
    }

    @Test
    void twoRepeatsGiveTheMeanOfTheMiddleWithoutBinaryNoise() {
        LevelResult merged = Repeats.of(List.of(level(100, 0.9899, 3.0, 8, Bound.NONE).asRepeat(1),
                level(100, 0.9976, 3.13, 9, Bound.NONE).asRepeat(2)));
        assertThat(merged.achievedRatio()).isEqualTo(0.99375);
        assertThat(merged.latency().p99Ms()).isEqualTo(3.065);
        assertThat(merged.serverThreads()).as("8.5 rounded").isEqualTo(9L);
        assertThat(Repeats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void theUnstableMarkIsAtItsEdge() {
        LevelResult atEdge = Repeats.of(List.of(level(5_000, 0.95, 1_000, 8, Bound.NONE).asRepeat(1),
                level(5_000, 1.00, 1_000, 8, Bound.NONE).asRepeat(2)));
        LevelResult past = Repeats.of(List.of(level(5_000, 0.9499, 1_000, 8, Bound.NONE).asRepeat(1),
                level(5_000, 1.00, 1_000, 8, Bound.NONE).asRepeat(2)));
        assertThat(Repeats.unstable(atEdge)).as("5.0 points apart").isFalse();
        assertThat(Repeats.unstable(past)).as("5.01 points apart").isTrue();
        assertThat(Repeats.unstable(level(5_000, 0.5, 1_000, 8, Bound.NONE))).as("measured once").isFalse();
    }

    @Test
    void aModelsSweepsMergeLevelByLevelAndTheirTotalsAdd() {
        TargetResult a = new TargetResult("m", "127.0.0.1:1", Map.of(), List.of(level(100, 1.0, 1000, 8, Bound.NONE),
                level(1000, 0.9, 1100, 8, Bound.NONE)), Map.of("sent", 10L), Map.of("command", "x"));
        TargetResult b = new TargetResult("m", "127.0.0.1:2", Map.of(), List.of(level(100, 0.98, 1000, 8, Bound.NONE),
                level(1000, 0.8, 1100, 8, Bound.NONE)), Map.of("sent", 5L), Map.of("command", "y"));
        TargetResult merged = Repeats.merge(List.of(a, b));
        assertThat(merged.levels()).extracting(LevelResult::connections).containsExactly(100, 1000);
        assertThat(merged.levels().get(1).achievedRatio()).isEqualTo(0.85);
        assertThat(merged.levels().get(1).repeats()).extracting(LevelResult::achievedRatio).containsExactly(0.9, 0.8);
        assertThat(merged.totals()).containsEntry("sent", 15L);
        assertThat(merged.launch()).containsEntry("repeats", 2);
        assertThat(Repeats.merge(List.of(a))).as("one sweep is itself").isSameAs(a);
    }

    @Test
    void laterSweepsOfFewerLevelsMergeWithTheFirstAndALevelMeasuredOnceStaysAsItIs() {
        TargetResult first = new TargetResult("m", "a", Map.of(), List.of(level(1000, 1.0, 1000, 8, Bound.NONE),
                level(5000, 0.995, 1000, 8, Bound.NONE), level(10000, 0.8, 1200, 8, Bound.NONE)), Map.of(), Map.of());
        TargetResult second = new TargetResult("m", "b", Map.of(), List.of(level(5000, 0.97, 1000, 8, Bound.NONE),
                level(10000, 0.7, 1200, 8, Bound.NONE)), Map.of(), Map.of());
        TargetResult third = new TargetResult("m", "c", Map.of(), List.of(level(5000, 0.999, 1000, 8, Bound.NONE),
                level(10000, 0.9, 1200, 8, Bound.NONE)), Map.of(), Map.of());
        TargetResult merged = Repeats.merge(List.of(first, second, third));
        assertThat(merged.levels()).extracting(LevelResult::connections).containsExactly(1000, 5000, 10000);
        assertThat(merged.levels().get(0).repeats()).isNull();
        assertThat(merged.levels().get(0).repeat()).as("measured once: no repeat number").isNull();
        assertThat(merged.levels().get(1).achievedRatio()).isEqualTo(0.995);
        assertThat(merged.levels().get(2).repeats()).extracting(LevelResult::repeat).containsExactly(1, 2, 3);
        assertThat(merged.levels().get(2).achievedRatio()).isEqualTo(0.8);
    }
}
