package dev.netplay.server.threads;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** When a request's calls look for their client, and the look: at most once per {@link #LOOK_INTERVAL_MILLIS}. */
final class ClientLooks {
    /** A call looks for its client this long after the wait it asked for should have ended. */
    static final long FIRST_LOOK_GRACE_MILLIS = 250;
    /** And then this often, while it waits for its reply or for a connection. */
    static final long LOOK_INTERVAL_MILLIS = 1_000;

    private final ClientWatch watch;
    private long lastLook = System.nanoTime();

    ClientLooks(ClientWatch watch) {
        this.watch = watch;
    }

    /** The wait before a call asked to take {@code millis} first looks. */
    static long firstLookMillis(long millis) {
        return Math.min(millis + FIRST_LOOK_GRACE_MILLIS, 2 * LOOK_INTERVAL_MILLIS);
    }

    /** True when the client left or this thread was interrupted; looks at the client at most once a second. */
    boolean clientLeft() {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        long now = System.nanoTime();
        if (now - lastLook < TimeUnit.MILLISECONDS.toNanos(LOOK_INTERVAL_MILLIS)) {
            return false;
        }
        lastLook = now;
        return watch.left();
    }

    /** Looks now, whatever the last look's time (the call's own schedule said it is time). */
    boolean clientLeftNow() {
        lastLook = System.nanoTime();
        return Thread.currentThread().isInterrupted() || watch.left();
    }

    /** A parallel call's outcome, looking for the client every {@link #LOOK_INTERVAL_MILLIS} meanwhile; {@code abandoned} if it left. */
    <T> T await(Future<T> call, T abandoned) throws InterruptedException, ExecutionException {
        while (true) {
            try {
                return call.get(LOOK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (clientLeft()) {
                    return abandoned;
                }
            } catch (CancellationException e) {
                return abandoned;
            }
        }
    }

    /** Whether the client a request's calls are made for has gone. Called on the calling thread only. */
    @FunctionalInterface
    public interface ClientWatch {
        /** A client that never leaves: the calls run their course. */
        ClientWatch NONE = () -> false;

        boolean left();
    }
}
