package dev.netplay.server.threads;

import dev.netplay.common.protocol.Work;
import dev.netplay.server.core.ConnectionLedger;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** The thread models' way of waiting: the connection's own thread sleeps, or computes WORK, stepping aside between slices. */
final class ThreadWaits {
    /** How long a thread doing long WORK steps aside between two slices: the shortest park, to let others run. */
    private static final long YIELD_PARK_NANOS = 1_000;

    private ThreadWaits() {
    }

    /** True when the sleep ran its course; false when the server's stop interrupted it. */
    static boolean sleep(long millis, ConnectionLedger ledger, BooleanSupplier stopping) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            Thread.sleep(millis);
            ledger.sleepResumed(deadline);
            return true;
        } catch (InterruptedException e) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Completes {@code progress} on this thread, slice by slice (the other connections run on theirs); false when the
     * server stops first. Between slices it lets others run: a virtual thread is never preempted, and without this,
     * two long WORKs would hold both carriers.
     */
    static boolean workInSlices(Work.Progress progress, BooleanSupplier stopping) {
        while (!progress.step(Work.SLICE_ROUNDS)) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            // A timed park, not Thread.yield(): a yielding virtual thread may be run again at once by its own
            // carrier, while a parked one goes through the scheduler's queue behind everyone waiting there.
            LockSupport.parkNanos(YIELD_PARK_NANOS);
        }
        return true;
    }
}
