package dev.netplay.client.load.measure;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How late the load client's own event loops run what is due: a tick every {@value #PERIOD_MILLIS} ms on each loop,
 * its lateness recorded (jHiccup's idea, inside the loops). In the closed model a reply waits this long in the socket
 * before the loop reads it and writes the next request, so this is the client's lag between a reply and the next
 * send; the span inside the handler itself is always near zero.
 */
public final class LoopLag implements AutoCloseable {
    static final long PERIOD_MILLIS = 10;

    final Recorder lag = new Recorder(3);
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();

    public LoopLag(EventExecutorGroup group) {
        long period = TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);
        for (EventExecutor loop : group) {
            long[] due = {System.nanoTime() + period};
            // Fixed delay: the next tick is due a period after this one ran, so a long stall is recorded once.
            ticks.add(loop.scheduleWithFixedDelay(() -> {
                long now = System.nanoTime();
                lag.recordValue(Math.max(0, now - due[0]));
                due[0] = now + period;
            }, period, period, TimeUnit.NANOSECONDS));
        }
    }

    @Override
    public void close() {
        ticks.forEach(t -> t.cancel(false));
    }
}
