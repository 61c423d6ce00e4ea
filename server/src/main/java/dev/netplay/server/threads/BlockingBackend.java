package dev.netplay.server.threads;

import dev.netplay.server.backend.BackendErrors;
import dev.netplay.server.backend.BackendSettings;
import dev.netplay.server.backend.BackendStats;
import dev.netplay.server.backend.Gathering;
import dev.netplay.server.backend.ReplyLine;
import dev.netplay.common.protocol.Action;
import dev.netplay.common.resp.Resp;
import dev.netplay.server.core.ThreadMode;
import org.apache.commons.pool2.impl.GenericObjectPool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Backend calls as blocking code makes them: a call takes a connection from a bounded pool (commons-pool2, as
 * JedisPool and DBCP do), writes its request and blocks in {@code read} until the reply's line is in, then gives the
 * connection back. The thread models call it on the connection's thread; netty-offload and netty-vthreads on their
 * offload threads; netty-blocking on the event loop (the lesson). A connection that failed, timed out, or answered
 * other than asked is closed, never reused; the pool opens a new one for the next call.
 *
 * <p>A blocked thread cannot hear its client leave, so a call looks ({@link ClientLooks.ClientWatch}) now and then: first once
 * the wait it asked for is over by {@link ClientLooks#FIRST_LOOK_GRACE_MILLIS} (at most {@link ClientLooks#LOOK_INTERVAL_MILLIS} twice
 * over: a call that ends as asked never looks), then every {@link ClientLooks#LOOK_INTERVAL_MILLIS}, and while it waits for a
 * connection. A call whose client has gone ends there, its connection closed (its reply may still come), and the
 * request's other calls are not made: a departed client holds no backend connection for longer than that.
 */
public final class BlockingBackend implements AutoCloseable {
    /** Idle platform threads of GATHER's parallel calls leave after this. */
    private static final long PARALLEL_KEEP_ALIVE_SECONDS = 60;
    /** A call's outcome when its client left: nobody to answer. */
    private static final byte[] ABANDONED = new byte[0];

    private final BackendSettings settings;
    private final BackendStats stats;
    private final BackendSettings.Requests requests;
    private final GenericObjectPool<BackendConnection> pool;
    /** GATHER's calls but the first, with {@link BackendSettings.Gather#PARALLEL}; null: one after another. */
    private final ExecutorService parallel;
    /** Connections lent to calls now, so that a stop can end the calls blocked on them. */
    private final Set<BackendConnection> lent = ConcurrentHashMap.newKeySet();

    /**
     * @param virtualThreads GATHER's parallel calls on virtual threads (the front's threads are virtual), else on
     *                       platform threads, at most one per backend connection: more could only wait for one
     */
    public BlockingBackend(BackendSettings settings, BackendStats stats, boolean virtualThreads) {
        this.settings = settings;
        this.stats = stats;
        this.requests = new BackendSettings.Requests(settings);
        this.pool = BackendConnection.pool(settings, stats);
        if (settings.gather() == BackendSettings.Gather.PARALLEL) {
            parallel = virtualThreads ? ThreadMode.newVirtualThreadPerTaskExecutor()
                    : new ThreadPoolExecutor(0, settings.connections(), PARALLEL_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), ThreadMode.namedThreads("netplay-gather-"), new ThreadPoolExecutor.CallerRunsPolicy());
        } else {
            parallel = null;
        }
    }

    public BackendSettings settings() {
        return settings;
    }

    /** A request's calls; returns its reply ({@code +OK} or the first failed call's error). */
    public byte[] calls(Action.Fetch fetch) throws InterruptedException {
        return calls(fetch, ClientLooks.ClientWatch.NONE);
    }

    /**
     * A request's calls; returns its reply ({@code +OK} or the first failed call's error), or null when its client
     * left (seen by {@code watch}, or this thread was interrupted): the calls then ended unanswered.
     */
    public byte[] calls(Action.Fetch fetch, ClientLooks.ClientWatch watch) throws InterruptedException {
        ClientLooks looks = new ClientLooks(watch);
        if (fetch.calls() == 1 || parallel == null) {
            for (int i = 0; i < fetch.calls(); i++) {
                if (i > 0 && looks.clientLeft()) {
                    return null;
                }
                byte[] error = call(fetch.millis(), looks);
                if (error == ABANDONED) {
                    return null;
                }
                if (error != null) {
                    return error; // as blocking code would: the first failure ends the request
                }
            }
            return Resp.OK;
        }
        List<Future<byte[]>> others = new ArrayList<>(fetch.calls() - 1);
        for (int i = 1; i < fetch.calls(); i++) {
            others.add(parallel.submit(() -> call(fetch.millis(), new ClientLooks(ClientLooks.ClientWatch.NONE))));
        }
        Gathering gathering = new Gathering(fetch.calls());
        try {
            byte[] first = call(fetch.millis(), looks);
            if (first == ABANDONED) {
                others.forEach(f -> f.cancel(true)); // interrupted, they end at their next look
                return null;
            }
            gathering.answered(0, first);
            for (int i = 0; i < others.size(); i++) {
                byte[] error = looks.await(others.get(i), ABANDONED);
                if (error == ABANDONED) {
                    others.forEach(f -> f.cancel(true));
                    return null;
                }
                gathering.answered(i + 1, error);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a backend call failed unexpectedly", e.getCause());
        } catch (InterruptedException e) {
            others.forEach(f -> f.cancel(true));
            throw e;
        }
        return gathering.reply();
    }

    /** One call: null when the backend answered as asked, {@link #ABANDONED} when its client left, else the error. */
    byte[] call(long millis, ClientLooks looks) throws InterruptedException {
        stats.callStarted();
        byte[] error;
        try {
            error = exchange(millis, looks, true);
        } catch (InterruptedException e) {
            stats.callCancelled(); // the stop, or a cancelled request: nobody is answered
            throw e;
        } catch (RuntimeException e) {
            stats.callFinished(true);
            throw e;
        }
        if (error == ABANDONED) {
            stats.callCancelled();
        } else {
            stats.callFinished(error != null);
        }
        return error;
    }

    private byte[] exchange(long millis, ClientLooks looks, boolean mayRetry) throws InterruptedException {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        BackendConnection c;
        try {
            c = borrow(deadline, looks);
        } catch (NoSuchElementException e) {
            if (e.getCause() != null) {
                return BackendErrors.unavailable(e.getCause(), settings);
            }
            return BackendErrors.timedOut(settings); // every connection busy for the whole timeout
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return BackendErrors.unavailable(e, settings);
        }
        if (c == null) {
            return ABANDONED;
        }
        lent.add(c);
        try {
            return exchange(c, millis, deadline, looks, mayRetry);
        } finally {
            lent.remove(c);
        }
    }

    /** A connection from the pool by {@code deadline}; null when the client left while it waited for one. */
    private BackendConnection borrow(long deadline, ClientLooks looks) throws Exception {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new NoSuchElementException("timed out");
            }
            try {
                return pool.borrowObject(java.time.Duration.ofNanos(
                        Math.min(left, TimeUnit.MILLISECONDS.toNanos(ClientLooks.LOOK_INTERVAL_MILLIS))));
            } catch (NoSuchElementException e) {
                if (e.getCause() != null || deadline - System.nanoTime() <= 0) {
                    throw e;
                }
                if (looks.clientLeftNow()) {
                    return null;
                }
            }
        }
    }

    private byte[] exchange(BackendConnection c, long millis, long deadline, ClientLooks looks, boolean mayRetry)
            throws InterruptedException {
        boolean reused = c.uses++ > 0;
        int read = 0;
        try {
            if (reused && c.in.available() > 0) {
                // It spoke out of turn while idle: its bytes would be taken for this call's reply. Never reuse it.
                invalidate(c);
                return exchange(millis, looks, mayRetry);
            }
        } catch (IOException e) {
            invalidate(c);
            return exchange(millis, looks, mayRetry);
        }
        long nextLook = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ClientLooks.firstLookMillis(millis));
        try {
            c.line.reset();
            c.out.write(requests.forWait(millis));
            c.out.flush();
            while (c.line.state() == ReplyLine.State.PARTIAL) {
                long now = System.nanoTime();
                if (deadline - now <= 0) {
                    throw new SocketTimeoutException("deadline");
                }
                if (nextLook - now <= 0) {
                    if (looks.clientLeftNow()) {
                        // its reply may still come: never reuse it; and a reset, for a graceful close reads as a
                        // half-close to the backend, which would keep the call's work until it answered
                        c.socket.setSoLinger(true, 0);
                        invalidate(c);
                        return ABANDONED;
                    }
                    nextLook = now + TimeUnit.MILLISECONDS.toNanos(ClientLooks.LOOK_INTERVAL_MILLIS);
                }
                long wait = Math.min(deadline - now, nextLook - now);
                c.socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(wait) + 1)));
                int b;
                try {
                    b = c.in.read();
                } catch (SocketTimeoutException e) {
                    continue; // the deadline's or the next look's turn, at the top
                }
                if (b < 0) {
                    throw new java.io.EOFException("the backend closed the connection");
                }
                read++;
                c.line.offer((byte) b);
            }
            byte[] error = c.line.error(settings);
            if (error != null || c.in.available() > 0) {
                invalidate(c); // not what was asked, or more than asked: never reuse it
            } else {
                pool.returnObject(c);
            }
            return error;
        } catch (SocketTimeoutException e) {
            invalidate(c);
            return BackendErrors.timedOut(settings);
        } catch (IOException e) {
            invalidate(c);
            if (Thread.interrupted() || e instanceof InterruptedIOException) {
                throw new InterruptedException("cancelled");
            }
            if (reused && read == 0 && mayRetry) {
                // An idle pooled connection the backend had closed (it restarted): the request never reached it, and
                // the other idle ones are as old. Retry once, on a new connection.
                pool.clear();
                return exchange(millis, looks, false);
            }
            return BackendErrors.unavailable(e, settings);
        }
    }

    /**
     * Gives {@code c} back as broken: the pool's check on return destroys it. Not {@code invalidateObject}, which
     * opens a replacement at once (commons-pool2 2.13), a connection nobody asked for.
     */
    private void invalidate(BackendConnection c) {
        c.broken = true;
        pool.returnObject(c);
    }

    /** Ends every call under way: its connection is closed, and the call answers that the backend went away. */
    public void abortCalls() {
        lent.forEach(c -> BackendConnection.closeQuietly(c.socket));
    }

    @Override
    public void close() {
        pool.close();
        if (parallel != null) {
            parallel.shutdownNow();
        }
    }

    /** For tests: connections the pool holds idle. */
    int idle() {
        return pool.getNumIdle();
    }
}
