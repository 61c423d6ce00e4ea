package dev.netplay.client.load.measure;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A level's seconds before its measured window, the ramp's and the warm-up's: interval histograms of the load's
 * latency, each tagged with its phase, written into the level's .hlog ahead of the window's untagged ones (HdrHistogram's
 * own tools read only untagged intervals unless asked), so that a chart over time can show how the level got there.
 */
public final class PhaseIntervals {
    public static final String RAMP = "ramp";
    public static final String WARMUP = "warmup";
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Recorder latency;
    private final long startMillis = System.currentTimeMillis();
    private final List<Histogram> intervals = new ArrayList<>();
    private long last = System.nanoTime();

    public PhaseIntervals(Recorder latency) {
        this.latency = latency;
        latency.getIntervalHistogram(); // from here on: what came before belongs to the last level
    }

    /** Ends an interval if a second has passed since the last one. */
    public void tick(String phase) {
        if (System.nanoTime() - last >= PERIOD_NANOS) {
            cut(phase);
        }
    }

    /** Ends the phase's last interval, however short: the next phase starts clean. */
    public void cut(String phase) {
        Histogram h = latency.getIntervalHistogram();
        h.setTag(phase);
        intervals.add(h);
        last = System.nanoTime();
    }

    long startMillis() {
        return startMillis;
    }

    List<Histogram> intervals() {
        return intervals;
    }
}
