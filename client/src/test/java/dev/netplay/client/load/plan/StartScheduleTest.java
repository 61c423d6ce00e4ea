package dev.netplay.client.load.plan;

import dev.netplay.client.load.LoadOptions;
import dev.netplay.client.load.TargetRun;
import dev.netplay.client.results.LevelResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --start-at}: one schedule fixed in time that every host given the same options computes alike. */
class StartScheduleTest {
    private static LoadOptions options(String startAt) {
        LoadOptions o = new LoadOptions();
        o.targets = List.of("a=127.0.0.1:7001", "b=127.0.0.1:7002");
        o.request = "SLEEP 100";
        o.warmup = Duration.ofSeconds(1);
        o.duration = Duration.ofSeconds(3);
        o.rampRate = 2000;
        o.connectTimeout = Duration.ofSeconds(5);
        o.timeout = Duration.ofSeconds(10);
        o.startAt = startAt;
        o.hostId = "h1";
        return o;
    }

    @Test
    void eachLevelHasItsSlotAndItsWindowOpensAfterItsRampBudgetAndWarmup() throws Exception {
        Instant at = Instant.now().plusSeconds(60);
        LoadPlan plan = options(at.toString()).toPlan(List.of(100, 300), "client sweep");
        StartSchedule s = plan.schedule();
        // ramp budget 100 / 2000 s + the 5 s connect timeout + 1 s; then the 1 s warmup
        assertThat(s.levelStart(0, 0)).isEqualTo(at);
        assertThat(s.measureStart(0, 0)).isEqualTo(at.plusMillis(7_050));
        // the first slot: 7.05 s, the 3 s window and the 10 s allowance
        assertThat(s.levelStart(0, 1)).isEqualTo(at.plusMillis(20_050));
        assertThat(s.measureStart(0, 1)).isEqualTo(at.plusMillis(20_050 + 100 + 6_000 + 1_000));
        // the second target after the first one's two slots, the request timeout and 5 s
        Duration target = Duration.ofMillis(20_050 + 7_100 + 3_000 + 10_000 + 10_000 + 5_000);
        assertThat(s.levelStart(1, 0)).isEqualTo(at.plus(target));
        assertThat(s.end()).isEqualTo(at.plus(target.multipliedBy(2)));
        assertThat(plan.hostId()).isEqualTo("h1");
        assertThat(options(Long.toString(at.toEpochMilli())).toPlan(List.of(100), "x").startAt()).isEqualTo(at.truncatedTo(
                java.time.temporal.ChronoUnit.MILLIS));
        assertThat(options(null).toPlan(List.of(100), "x").schedule()).as("no --start-at: no schedule").isNull();
    }

    @Test
    void aStartInThePastTooFarAheadOrNotATimeIsAClearError() {
        assertThatThrownBy(() -> options("2020-01-01T00:00:00Z").toPlan(List.of(100), "x"))
                .hasMessageStartingWith("--start-at 2020-01-01T00:00:00Z is in the past (now is ");
        String far = Instant.now().plus(Duration.ofDays(3)).toString();
        assertThatThrownBy(() -> options(far).toPlan(List.of(100), "x"))
                .hasMessageStartingWith("--start-at " + far + " is out of range (expected: within 24h of now");
        assertThatThrownBy(() -> options("tomorrow").toPlan(List.of(100), "x")).hasMessage("--start-at 'tomorrow' is not an "
                + "instant (expected ISO-8601 with a zone, e.g. 2026-12-02T18:00:00Z, or epoch milliseconds)");
        LoadOptions badHost = options(null);
        badHost.hostId = "a b";
        assertThatThrownBy(() -> badHost.toPlan(List.of(100), "x"))
                .hasMessage("--host-id 'a b' is not 1 to 64 letters, digits, '.', '_' or '-'");
    }

    @Test
    void aLevelThatOpensLateIsMarkedAndOneOnTimeIsNot() {
        LevelResult level = LevelResult.of(new LevelResult.Connects(1, 1, 1, 0, Map.of(), null, null, null),
                new LevelResult.Window(1, 1, 1, null, null), new LevelResult.Latencies(null, null, List.of()),
                new LevelResult.Errors(0, Map.of(), 0), null, 0, null, null, null);
        Instant due = Instant.parse("2027-01-15T08:00:00Z");
        LevelResult onTime = TargetRun.onSchedule(level, due, due.plusMillis(3), Duration.ZERO);
        assertThat(onTime.schedule().behind()).isFalse();
        assertThat(onTime.schedule().lateMs()).isEqualTo(3.0);
        assertThat(onTime.note()).isNull();
        LevelResult late = TargetRun.onSchedule(level, due, due.plusMillis(1_500), Duration.ofMillis(400));
        assertThat(late.schedule().behind()).isTrue();
        assertThat(late.note()).isEqualTo("behind its schedule: the level began 400 ms late, its window opened 1500 ms late");
    }
}
