package dev.netplay.client.load.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When each level begins and when its window is measured, fixed in time from {@code --start-at}: every host given
 * the same options computes the same instants, so their windows are the same interval, whatever each host's own
 * pace. Level i of target t begins at its slot: the ramp's budget (its new connections at the ramp rate, a connect
 * timeout and a second, as the ramp itself waits), the warmup, the window, and {@link #LEVEL_ALLOWANCE} for the
 * window's edges; targets follow one another, each after {@link #TARGET_ALLOWANCE} and the request timeout (the
 * replies a target's stop waits for).
 */
public final class StartSchedule {
    /** The window's edges: INFO everything, MEMORY PURGE (a full collection on a server of thousands of threads). */
    static final Duration LEVEL_ALLOWANCE = Duration.ofSeconds(10);
    /** Between targets, beyond the request timeout: the sampler's connection to the next one, its first INFO. */
    static final Duration TARGET_ALLOWANCE = Duration.ofSeconds(5);
    /** Late by less than this is on time: the sleeps that wait for an instant wake a little after it. */
    static final Duration TOLERANCE = Duration.ofMillis(250);
    /** The farthest ahead a start may be: a typo in the date should fail, not wait for days. */
    public static final Duration MAX_AHEAD = Duration.ofHours(24);

    private final Instant startAt;
    private final LoadPlan plan;

    StartSchedule(Instant startAt, LoadPlan plan) {
        this.startAt = startAt;
        this.plan = plan;
    }

    /** The ramp's budget for {@code level} after {@code previous} connections: what {@link ConnectionKeeper#awaitRamp} waits at most. */
    static Duration rampBudget(int previous, int level, LoadPlan plan) {
        long nanos = (long) (Math.max(0, level - previous) * 1e9 / plan.rampRate()) + plan.connectTimeout().toNanos()
                + Duration.ofSeconds(1).toNanos();
        return Duration.ofNanos(nanos);
    }

    /** How long one target's levels take, start to end. */
    private Duration targetLength() {
        Duration total = Duration.ZERO;
        int previous = 0;
        for (int level : plan.levels()) {
            total = total.plus(slot(previous, level));
            previous = level;
        }
        return total.plus(plan.timeout()).plus(TARGET_ALLOWANCE);
    }

    private Duration slot(int previous, int level) {
        return rampBudget(previous, level, plan).plus(plan.warmup()).plus(plan.duration()).plus(LEVEL_ALLOWANCE);
    }

    /** When level {@code levelIndex} of target {@code targetIndex} begins: its connections are asked for. */
    public Instant levelStart(int targetIndex, int levelIndex) {
        Instant t = startAt.plus(targetLength().multipliedBy(targetIndex));
        List<Integer> levels = plan.levels();
        int previous = 0;
        for (int i = 0; i < levelIndex; i++) {
            t = t.plus(slot(previous, levels.get(i)));
            previous = levels.get(i);
        }
        return t;
    }

    /** When that level's window opens: after its ramp's budget and its warmup. */
    public Instant measureStart(int targetIndex, int levelIndex) {
        int previous = levelIndex == 0 ? 0 : plan.levels().get(levelIndex - 1);
        return levelStart(targetIndex, levelIndex).plus(rampBudget(previous, plan.levels().get(levelIndex), plan))
                .plus(plan.warmup());
    }

    /** When the whole run is over, every target's every level. */
    public Instant end() {
        return startAt.plus(targetLength().multipliedBy(plan.targets().size()));
    }

    /** Sleeps until {@code instant}; returns how late this host is for it (zero if early or on time). */
    public static Duration waitUntil(Instant instant) throws InterruptedException {
        while (true) {
            Duration left = Duration.between(Instant.now(), instant);
            if (left.isNegative() || left.isZero()) {
                return left.negated();
            }
            Thread.sleep(Math.max(1, Math.min(left.toMillis(), 250)));
        }
    }

    /** Whether {@code lateness} marks the level: later than {@link #TOLERANCE}. */
    public static boolean behind(Duration lateness) {
        return lateness.compareTo(TOLERANCE) > 0;
    }
}
