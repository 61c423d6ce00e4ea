package dev.netplay.client.load.figures;

import dev.netplay.client.load.connect.Counters;
import dev.netplay.client.load.measure.MeasurementWindow;
import dev.netplay.client.load.sample.ServerWindow;
import dev.netplay.client.results.LevelResult;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The level figures from made-up samples: every figure checked against arithmetic done by hand. */
class LevelFiguresTest {
    private static final double SECONDS = 10.0;

    /** Counters as {@link Counters#snapshot()} names them, all zero but those given. */
    private static Map<String, Long> counters(Object... pairs) {
        Map<String, Long> m = new HashMap<>();
        for (String name : new Counters().snapshot().keySet()) {
            m.put(name, 0L);
        }
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return m;
    }

    private static Histogram latencies(long count, long nanos) {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(nanos, count);
        return h;
    }

    private static ServerWindow.Figures server(boolean answered) {
        return new ServerWindow.Figures(1_008L, 300L * 1024 * 1024, 1_001L, 9_050L, answered, Map.of(), Map.of());
    }

    private static LevelFigures.Samples samples(Map<String, Long> levelStart, Map<String, Long> start, Map<String, Long> end,
                                                Histogram latency, boolean answered) {
        MeasurementWindow.Measured window = new MeasurementWindow.Measured(SECONDS, start, end, latency, new Histogram(3),
                1_000_000_000L, Map.of(), Map.of(), null, null, server(answered), "x-1000.hlog", Map.of(), null, null, null);
        Histogram connects = latencies(1000, 200_000);
        return new LevelFigures.Samples(1000, 1000, levelStart, window, connects, 100L * 1024 * 1024, 1000.0, false,
                "ConnectException: refused", null, null, null);
    }

    @Test
    void throughputIsCountedInTheWindowAndComparedWithLittlesLaw() {
        // 1,000 connections x SLEEP 1000: Little's law allows 1,000/s; 9,000 completed in 10 s is 900/s, 90%.
        LevelResult r = LevelFigures.of(samples(counters(), counters("completed", 500), counters("completed", 9_500),
                latencies(9_000, 1_000_000_000L), true));
        assertThat(r.requests()).isEqualTo(9_000);
        assertThat(r.throughputRps()).isEqualTo(900.0);
        assertThat(r.idealRps()).isEqualTo(1000.0);
        assertThat(r.achievedRatio()).isEqualTo(0.9);
        assertThat(r.latency().p50Ms()).isCloseTo(1000.0, within(1.0));
        assertThat(r.latency().count()).isEqualTo(9_000);
        assertThat(r.uncorrected()).as("closed model").isNull();
    }

    @Test
    void errorsCountFromTheWindowsStartButConnectsFromTheLevelsStart() {
        // Before the window (during the ramp): 5 refused connects and 7 timeouts. In it: 3 more timeouts, 2 wrong replies.
        Map<String, Long> levelStart = counters("attempted", 100, "refused", 1);
        Map<String, Long> windowStart = counters("attempted", 1_105, "refused", 6, "timeouts", 7);
        Map<String, Long> windowEnd = counters("attempted", 1_110, "refused", 6, "timeouts", 10, "wrong_reply", 2, "completed", 10);
        LevelResult r = LevelFigures.of(samples(levelStart, windowStart, windowEnd, latencies(10, 1_000_000), true));
        assertThat(r.connectsAttempted()).isEqualTo(1_010);
        assertThat(r.connectsFailed()).isEqualTo(5);
        assertThat(r.connectFailures()).containsEntry("refused", 5L).containsEntry("timed_out", 0L);
        assertThat(r.timeouts()).as("the window's only").isEqualTo(3);
        assertThat(r.errors()).isEqualTo(5);
        assertThat(r.errorsByKind()).containsEntry("wrong_reply", 2L).containsEntry("timeouts", 3L);
        assertThat(r.connectP50Ms()).isCloseTo(0.2, within(0.001));
    }

    @Test
    void theServersMemoryIsPerConnectionAndItsCommandsPerSecond() {
        LevelResult r = LevelFigures.of(samples(counters(), counters(), counters("completed", 10_000), latencies(10_000, 1_000_000), true));
        assertThat(r.clientCpuPercent()).isEqualTo(10.0);
        assertThat(r.serverKibPerConnection()).as("(300 - 100) MiB over 1,000 connections").isEqualTo(204.8);
        assertThat(r.serverRssMib()).isEqualTo(300.0);
        assertThat(r.serverCommandsRps()).isEqualTo(905.0);
        assertThat(r.note()).isNull();
        assertThat(r.hlog()).isEqualTo("x-1000.hlog");
    }

    @Test
    void aServerThatStoppedAnsweringGetsANoteWithTheLastConnectionError() {
        LevelResult r = LevelFigures.of(samples(counters(), counters(), counters(), new Histogram(3), false));
        assertThat(r.note()).isEqualTo("the target stopped answering INFO during this level (ConnectException: refused)");
        assertThat(r.latency()).as("no request completed").isNull();
        assertThat(r.serverCpuUsPerRequest()).as("no diagnosis without the window's edges").isNull();
    }
}
