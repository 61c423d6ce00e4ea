package dev.netplay.server.backend;

import dev.netplay.common.backend.BackendErrors;
import dev.netplay.common.backend.BackendSettings;
import dev.netplay.common.backend.BackendStats;
import dev.netplay.common.backend.Gathering;
import dev.netplay.common.backend.ReplyLine;
import dev.netplay.common.protocol.Action;
import dev.netplay.common.resp.Resp;
import dev.netplay.server.blocking.BlockingServer;
import dev.netplay.server.blocking.ThreadMode;
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
 */
public final class BlockingBackend implements AutoCloseable {
    /** Idle platform threads of GATHER's parallel calls leave after this. */
    private static final long PARALLEL_KEEP_ALIVE_SECONDS = 60;

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
                    new SynchronousQueue<>(), BlockingServer.namedThreads("netplay-gather-"), new ThreadPoolExecutor.CallerRunsPolicy());
        } else {
            parallel = null;
        }
    }

    public BackendSettings settings() {
        return settings;
    }

    /** A request's calls; returns its reply ({@code +OK} or the first failed call's error). */
    public byte[] calls(Action.Fetch fetch) throws InterruptedException {
        if (fetch.calls() == 1 || parallel == null) {
            for (int i = 0; i < fetch.calls(); i++) {
                byte[] error = call(fetch.millis());
                if (error != null) {
                    return error; // as blocking code would: the first failure ends the request
                }
            }
            return Resp.OK;
        }
        List<Future<byte[]>> others = new ArrayList<>(fetch.calls() - 1);
        for (int i = 1; i < fetch.calls(); i++) {
            others.add(parallel.submit(() -> call(fetch.millis())));
        }
        Gathering gathering = new Gathering(fetch.calls());
        try {
            gathering.answered(0, call(fetch.millis()));
            for (int i = 0; i < others.size(); i++) {
                gathering.answered(i + 1, others.get(i).get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a backend call failed unexpectedly", e.getCause());
        } catch (InterruptedException e) {
            others.forEach(f -> f.cancel(true));
            throw e;
        }
        return gathering.reply();
    }

    /** One call: null when the backend answered as asked, else the error reply. */
    byte[] call(long millis) throws InterruptedException {
        stats.callStarted();
        byte[] error = null;
        try {
            error = exchange(millis, true);
            return error;
        } finally {
            stats.callFinished(error != null);
        }
    }

    private byte[] exchange(long millis, boolean mayRetry) throws InterruptedException {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        Connection c;
        try {
            c = pool.borrowObject(settings.timeout());
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
        lent.add(c);
        try {
            return exchange(c, millis, deadline, mayRetry);
        } finally {
            lent.remove(c);
        }
    }

    private byte[] exchange(Connection c, long millis, long deadline, boolean mayRetry) throws InterruptedException {
        boolean reused = c.uses++ > 0;
        int read = 0;
        try {
            c.line.reset();
            c.out.write(requests.forWait(millis));
            c.out.flush();
            while (c.line.state() == ReplyLine.State.PARTIAL) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new SocketTimeoutException("deadline");
                }
                c.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                int b = c.in.read();
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
                return exchange(millis, false);
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
