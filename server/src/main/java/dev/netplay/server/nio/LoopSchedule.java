package dev.netplay.server.nio;

import java.util.ArrayList;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What {@link SelectorServer}'s loop runs besides I/O: SLEEPs' deadlines in a priority queue, the tasks other threads
 * hand it (an eviction, the stop), and what its connections leave for its next turn (WORK's next slice, the rest of
 * a long pipeline). The deadlines and the next turn are the loop thread's own, so they need no lock.
 */
final class LoopSchedule {
    /** A SLEEP's deadline, and the connection's actions to resume then. */
    record Timer(long deadlineNanos, SelectorActions actions) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            return Long.compare(deadlineNanos, other.deadlineNanos);
        }
    }

    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private ArrayList<Runnable> nextTurn = new ArrayList<>();

    /** A connection's SLEEP: resume it at {@code deadlineNanos}. */
    void schedule(long deadlineNanos, SelectorActions actions) {
        timers.add(new Timer(deadlineNanos, actions));
    }

    /** The earliest SLEEP's deadline; {@link Long#MAX_VALUE} with none. */
    long nextDeadline() {
        Timer next = timers.peek();
        return next == null ? Long.MAX_VALUE : next.deadlineNanos();
    }

    /**
     * How long select may wait: 0 (for I/O only) when no deadline is pending and nothing is checked periodically
     * ({@code periodicMillis} 0); else until the earliest of the SLEEPs and {@code otherDeadlineNanos} is due (at
     * least 1 ms), or the next periodic check.
     */
    long waitMillis(long otherDeadlineNanos, long periodicMillis) {
        long next = nextDeadline();
        if (otherDeadlineNanos != Long.MAX_VALUE && (next == Long.MAX_VALUE || otherDeadlineNanos - next < 0)) {
            next = otherDeadlineNanos;
        }
        if (next == Long.MAX_VALUE) {
            return periodicMillis;
        }
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime()) + 1);
        return periodicMillis == 0 ? millis : Math.min(millis, periodicMillis);
    }

    /** Hands each SLEEP due by {@code nowNanos} to {@code resume}, earliest first. */
    void dueSleeps(long nowNanos, Consumer<Timer> resume) {
        while (!timers.isEmpty() && timers.peek().deadlineNanos() <= nowNanos) {
            resume.accept(timers.poll());
        }
    }

    /** From any thread: run {@code task} on the loop soon (the caller wakes the selector). */
    void execute(Runnable task) {
        tasks.add(task);
    }

    /** On the loop: run {@code task} on the next turn, after its I/O. */
    void nextTurn(Runnable task) {
        nextTurn.add(task);
    }

    boolean hasNextTurn() {
        return !nextTurn.isEmpty();
    }

    /** Runs, through {@code run}, the tasks handed over so far, then what was left for this turn. */
    void runTasks(Consumer<Runnable> run) {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            run.accept(task);
        }
        ArrayList<Runnable> due = nextTurn;
        nextTurn = new ArrayList<>();
        due.forEach(run);
    }
}
