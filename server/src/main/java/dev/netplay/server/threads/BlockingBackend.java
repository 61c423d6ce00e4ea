package dev.netplay.server.threads;

import dev.netplay.server.backend.BackendErrors;
import dev.netplay.server.backend.BackendSettings;
import dev.netplay.server.backend.BackendStats;
import dev.netplay.server.backend.Gathering;
import dev.netplay.server.backend.ReplyLine;

import dev.netplay.common.protocol.Action;
import dev.netplay.common.resp.Resp;
import dev.netplay.server.core.ThreadMode;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
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
 * <p>A blocked thread cannot hear its client leave, so a call looks ({@link ClientWatch}) now and then: first once
 * the wait it asked for is over by {@link #FIRST_LOOK_GRACE_MILLIS} (at most {@link #LOOK_INTERVAL_MILLIS} twice
 * over: a call that ends as asked never looks), then every {@link #LOOK_INTERVAL_MILLIS}, and while it waits for a
 * connection. A call whose client has gone ends there, its connection closed (its reply may still come), and the
 * request's other calls are not made: a departed client holds no backend connection for longer than that.
 */
public final class BlockingBackend implements AutoCloseable {
    /** Idle platform threads of GATHER's parallel calls leave after this. */
    private static final long PARALLEL_KEEP_ALIVE_SECONDS = 60;
    /** A call looks for its client this long after the wait it asked for should have ended. */
    static final long FIRST_LOOK_GRACE_MILLIS = 250;
    /** And then this often, while it waits for its reply or for a connection. */
    static final long LOOK_INTERVAL_MILLIS = 1_000;
    /** A call's outcome when its client left: nobody to answer. */
    private static final byte[] ABANDONED = new byte[0];

    /** Whether the client a request's calls are made for has gone. Called on the calling thread only. */
    @FunctionalInterface
    public interface ClientWatch {
        /** A client that never leaves: the calls run their course. */
        ClientWatch NONE = () -> false;

        boolean left();
    }

    private final BackendSettings settings;
    private final BackendStats stats;
    private final BackendSettings.Requests requests;
    private final GenericObjectPool<Connection> pool;
    /** GATHER's calls but the first, with {@link BackendSettings.Gather#PARALLEL}; null: one after another. */
    private final ExecutorService parallel;
    /** Connections lent to calls now, so that a stop can end the calls blocked on them. */
    private final java.util.Set<Connection> lent = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** One backend connection, used by one call at a time. */
    static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final ReplyLine line = new ReplyLine();
        int uses;
        /** It failed, timed out or answered other than asked: never to be lent again. */
        boolean broken;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), BackendSettings.MAX_REPLY_LINE_BYTES);
            this.out = socket.getOutputStream();
        }
    }

    /**
     * @param virtualThreads GATHER's parallel calls on virtual threads (the front's threads are virtual), else on
     *                       platform threads, at most one per backend connection: more could only wait for one
     */
    public BlockingBackend(BackendSettings settings, BackendStats stats, boolean virtualThreads) {
        this.settings = settings;
        this.stats = stats;
        this.requests = new BackendSettings.Requests(settings);
        GenericObjectPoolConfig<Connection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(settings.connections());
        config.setMaxIdle(settings.connections());
        config.setBlockWhenExhausted(true);
        config.setJmxEnabled(false);
        config.setLifo(true);
        config.setTestOnReturn(true); // destroys the broken ones (validateObject)
        this.pool = new GenericObjectPool<>(new Factory(), config);
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
        return calls(fetch, ClientWatch.NONE);
    }

    /**
     * A request's calls; returns its reply ({@code +OK} or the first failed call's error), or null when its client
     * left (seen by {@code watch}, or this thread was interrupted): the calls then ended unanswered.
     */
    public byte[] calls(Action.Fetch fetch, ClientWatch watch) throws InterruptedException {
        Looks looks = new Looks(watch);
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
            others.add(parallel.submit(() -> call(fetch.millis(), new Looks(ClientWatch.NONE))));
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
                byte[] error = waitFor(others.get(i), looks);
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

    /** A parallel call's outcome, looking for the client every {@link #LOOK_INTERVAL_MILLIS} meanwhile. */
    private static byte[] waitFor(Future<byte[]> call, Looks looks) throws InterruptedException, ExecutionException {
        while (true) {
            try {
                return call.get(LOOK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (looks.clientLeft()) {
                    return ABANDONED;
                }
            } catch (java.util.concurrent.CancellationException e) {
                return ABANDONED;
            }
        }
    }

    /** One call: null when the backend answered as asked, {@link #ABANDONED} when its client left, else the error. */
    byte[] call(long millis, Looks looks) throws InterruptedException {
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

    /** When a request's calls look for their client, and the look: at most once per {@link #LOOK_INTERVAL_MILLIS}. */
    private static final class Looks {
        private final ClientWatch watch;
        private long lastLook = System.nanoTime();

        Looks(ClientWatch watch) {
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
    }

    private byte[] exchange(long millis, Looks looks, boolean mayRetry) throws InterruptedException {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        Connection c;
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
    private Connection borrow(long deadline, Looks looks) throws Exception {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new NoSuchElementException("timed out");
            }
            try {
                return pool.borrowObject(java.time.Duration.ofNanos(
                        Math.min(left, TimeUnit.MILLISECONDS.toNanos(LOOK_INTERVAL_MILLIS))));
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

    private byte[] exchange(Connection c, long millis, long deadline, Looks looks, boolean mayRetry)
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
        long nextLook = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Looks.firstLookMillis(millis));
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
                    nextLook = now + TimeUnit.MILLISECONDS.toNanos(LOOK_INTERVAL_MILLIS);
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
    private void invalidate(Connection c) {
        c.broken = true;
        pool.returnObject(c);
    }

    /** Ends every call under way: its connection is closed, and the call answers that the backend went away. */
    public void abortCalls() {
        lent.forEach(c -> closeQuietly(c.socket));
    }

    @Override
    public void close() {
        pool.close();
        if (parallel != null) {
            parallel.shutdownNow();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
    }

    /** Opens, counts and closes the pool's connections. */
    private final class Factory extends BasePooledObjectFactory<Connection> {
        @Override
        public Connection create() throws IOException {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(settings.address(), (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()));
                Connection c = new Connection(socket);
                stats.connectionOpened();
                return c;
            } catch (IOException e) {
                closeQuietly(socket);
                throw e;
            }
        }

        @Override
        public PooledObject<Connection> wrap(Connection c) {
            return new DefaultPooledObject<>(c);
        }

        @Override
        public boolean validateObject(PooledObject<Connection> p) {
            return !p.getObject().broken;
        }

        @Override
        public void destroyObject(PooledObject<Connection> p) {
            closeQuietly(p.getObject().socket);
            stats.connectionClosed();
        }
    }

    /** For tests: connections the pool holds idle. */
    int idle() {
        return pool.getNumIdle();
    }
}
