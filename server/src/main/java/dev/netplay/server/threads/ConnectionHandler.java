package dev.netplay.server.threads;


import dev.netplay.common.protocol.Action;
import dev.netplay.server.core.ClientMemory;
import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.server.core.ConnectionLedger;
import dev.netplay.common.protocol.DataPattern;
import dev.netplay.server.core.RequestClock;
import dev.netplay.server.core.ServerGuards;
import dev.netplay.server.core.ServerStats;
import dev.netplay.common.protocol.Work;
import dev.netplay.common.resp.ProtocolException;
import dev.netplay.common.resp.RequestParser;
import dev.netplay.common.resp.Resp;
import dev.netplay.server.core.Fatal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One connection of the blocking server, served by one thread for its whole life: blocking reads, requests one at
 * a time, SLEEP as {@code Thread.sleep} on this thread. Replies are flushed once per read.
 *
 * <p>A request must arrive whole within the request timeout (the read's timeout is cut to what is left of it); a
 * write blocked for the write timeout is ended by {@link BlockingServer}'s watchdog, which closes the socket. A
 * thread asleep in SLEEP cannot notice that its client left until it wakes: that is the model's cost.
 */
final class ConnectionHandler implements Runnable, ClientMemory.Client, Action.Visitor<Boolean, IOException> {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final int READ_BUFFER_BYTES = 4 * 1024; // 4 KiB
    /** How long a thread doing long WORK steps aside between two slices: the shortest park, to let others run. */
    private static final long YIELD_PARK_NANOS = 1_000;
    private static final int WRITE_BUFFER_BYTES = 8 * 1024; // 8 KiB
    /** How long a look for a departed client may block this thread. */
    private static final int CLIENT_LOOK_MILLIS = 1;

    private final Socket socket;
    private final CommandDispatcher dispatcher;
    private final ServerStats stats;
    private final Consumer<ConnectionHandler> onClose;
    private volatile Thread thread;
    /** Its parser, session, memory, request in flight and end: the bookkeeping every model shares. */
    private final ConnectionLedger ledger;
    /** Set by an eviction: the reply to send once the blocked read returns. */
    private volatile byte[] evictedWith;
    private final ServerGuards guards;
    /** FETCH's and GATHER's calls; null when the server has no backend (the dispatcher then answers them itself). */
    private final BlockingBackend backend;
    private final int idleTimeoutMillis;
    private final RequestClock requestClock = new RequestClock();
    /** The server is stopping and its grace is over: every request still to serve gets the stopping error. */
    private volatile boolean stopping;
    /** This connection's thread is serving a request (not blocked reading one). */
    private volatile boolean inRequest;
    /** When the write this thread is blocked in began (System.nanoTime()); 0 while it is not writing. */
    private volatile long writingSince;

    ConnectionHandler(Socket socket, CommandDispatcher dispatcher, ServerStats stats, Consumer<ConnectionHandler> onClose,
                      int idleTimeoutMillis, BlockingBackend backend) {
        this.backend = backend;
        this.socket = socket;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.onClose = onClose;
        this.guards = dispatcher.settings().guards();
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.ledger = new ConnectionLedger(stats, socket.getRemoteSocketAddress(), this, guards);
    }

    /** Its thread could not be started: the connection ends before it began, counted as any other end. */
    void neverStarted() {
        ledger.close();
    }

    /**
     * Ends the blocked read (shutting down the input wakes it), and this connection's thread sends the reply and
     * closes: no other thread writes to its stream.
     */
    @Override
    public void evict(byte[] reply) {
        evictedWith = reply;
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            log.debug("evicting {}: {}", socket.getRemoteSocketAddress(), e.toString());
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try (socket) {
            serve(socket.getInputStream(), new BufferedOutputStream(new WatchedOutput(socket.getOutputStream()), WRITE_BUFFER_BYTES));
        } catch (IOException e) {
            log.debug("connection {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
        } catch (RuntimeException e) {
            log.warn("unexpected error on connection {}", socket.getRemoteSocketAddress(), e);
        } catch (Error e) {
            if (Fatal.isFatal(e)) {
                Fatal.exit(Thread.currentThread(), e);
            }
            throw e;
        } finally {
            thread = null;
            ledger.close();
            onClose.accept(this);
        }
    }

    /** This connection's replies, buffered and flushed once per read. */
    private OutputStream out;
    /** The socket's input. */
    private InputStream in;
    /** What the client sent while a request's backend calls looked for it; read before the socket's next bytes. */
    private final byte[] early = new byte[READ_BUFFER_BYTES];
    private int earlyLength;

    private void serve(InputStream in, OutputStream out) throws IOException {
        this.out = out;
        this.in = in;
        RequestParser parser = ledger.parser();
        byte[] buf = new byte[READ_BUFFER_BYTES];
        int n = 0;
        while (!stopping && (n = read(in, buf)) > 0) {
            int off = 0;
            while (off < n) {
                try {
                    off += parser.feed(buf, off, n - off);
                    ledger.holding(parser.heldBytes());
                } catch (ProtocolException e) {
                    out.write(e.toReply());
                    out.flush();
                    return;
                }
                List<byte[]> request = parser.poll();
                requestClock.update(!parser.isIdle(), System.nanoTime());
                if (request != null && !execute(request)) {
                    out.flush();
                    return;
                }
            }
            out.flush();
        }
        if (n == TIMED_OUT) {
            stats.requestTimedOut();
            out.write(RequestClock.timeoutReply(guards.requestTimeout().toMillis()));
            out.flush();
            return;
        }
        byte[] evicted = evictedWith;
        if (evicted != null) {
            out.write(evicted);
            out.flush();
        }
    }

    /** What {@link #read} returns when the request timeout passed with a request partly received. */
    private static final int TIMED_OUT = -2;

    /**
     * A blocking read, with the read timeout cut to what is left of the request timeout while a request is partly
     * received; {@link #TIMED_OUT} once that passes. An idle timeout ends the connection as before (an exception).
     */
    private int read(InputStream in, byte[] buf) throws IOException {
        if (earlyLength > 0) {
            int n = Math.min(earlyLength, buf.length);
            System.arraycopy(early, 0, buf, 0, n);
            System.arraycopy(early, n, early, 0, earlyLength - n);
            earlyLength -= n;
            return n;
        }
        long requestTimeout = guards.requestTimeout().toNanos();
        while (true) {
            long now = System.nanoTime();
            int timeout = idleTimeoutMillis;
            boolean watched = requestTimeout > 0 && requestClock.running();
            if (watched) {
                long left = requestClock.remainingNanos(now, requestTimeout);
                if (left <= 0) {
                    return TIMED_OUT;
                }
                int leftMillis = (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left) + 1);
                timeout = timeout == 0 ? leftMillis : Math.min(timeout, leftMillis);
            }
            socket.setSoTimeout(timeout);
            try {
                return in.read(buf);
            } catch (SocketTimeoutException e) {
                if (!watched || idleTimeoutMillis > 0 && System.nanoTime() - now >= TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis)) {
                    throw e; // idle: the connection ends, as it always has
                }
                // the request timeout's turn: checked at the top
            }
        }
    }

    /** Serves one request; false when the connection must close. Requests in flight are counted here only. */
    private boolean execute(List<byte[]> request) throws IOException {
        inRequest = true;
        try {
            if (stopping) {
                ledger.begin();
                return refuse();
            }
            return ledger.start(dispatcher, request).accept(this);
        } finally {
            inRequest = false;
            ledger.finished();
        }
    }

    /** The stopping error in place of a reply; the connection goes on to answer the rest of what it read so. */
    private boolean refuse() throws IOException {
        out.write(RequestClock.SHUTTING_DOWN);
        stats.shutdownError();
        return true;
    }

    @Override
    public Boolean reply(Action.Reply reply) throws IOException {
        out.write(reply.bytes());
        return true;
    }

    @Override
    public Boolean sleep(Action.Sleep sleep) throws IOException {
        out.flush(); // earlier replies need not wait for this one
        if (!sleep(sleep.millis())) {
            return refuse();
        }
        out.write(Resp.OK);
        return true;
    }

    @Override
    public Boolean data(Action.Data data) throws IOException {
        out.write(Resp.bulkHeader(data.length()));
        DataPattern.writeTo(out, data.length());
        out.write(Resp.CRLF);
        return true;
    }

    @Override
    public Boolean work(Action.Work work) throws IOException {
        // This connection's own thread computes it, the other connections run on theirs; between slices it lets
        // others run (a virtual thread is never preempted: without this, two long WORKs hold both carriers).
        Work.Progress progress = work.start();
        if (progress.step(Work.SLICE_ROUNDS)) {
            out.write(Action.Work.reply(progress)); // short: as any quick reply, flushed with the read's others
            return true;
        }
        out.flush(); // earlier replies need not wait; and a client that left shows now, not after all it pipelined
        while (!progress.step(Work.SLICE_ROUNDS)) {
            if (stopping) {
                return refuse();
            }
            // A timed park, not Thread.yield(): a yielding virtual thread may be run again at once by its own
            // carrier, while a parked one goes through the scheduler's queue behind everyone waiting there.
            LockSupport.parkNanos(YIELD_PARK_NANOS);
        }
        out.write(Action.Work.reply(progress));
        return true;
    }

    /** The backend calls block this connection's thread, as a JDBC query or a Jedis call would. */
    @Override
    public Boolean fetch(Action.Fetch fetch) throws IOException {
        out.flush(); // earlier replies need not wait for this one
        byte[] reply;
        try {
            reply = backend.calls(fetch, this::clientLeft);
        } catch (InterruptedException e) {
            if (stopping) {
                return refuse();
            }
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (stopping) {
            return refuse(); // the stop cut the calls: the error says why, not the backend's
        }
        if (reply == null) {
            byte[] evicted = evictedWith;
            if (evicted != null) {
                out.write(evicted); // evicted while its calls ran: it hears why, as it would after them
            }
            return false; // its client left: the calls ended unanswered
        }
        out.write(reply);
        return true;
    }

    /**
     * Whether the client has gone, asked by its backend calls now and then ({@link BlockingBackend}): a read of at
     * most a millisecond sees its close or reset; what it sent meanwhile (pipelined requests) is kept in
     * {@link #early} and served after. A client that fills {@code early} is still there.
     */
    private boolean clientLeft() {
        if (earlyLength == early.length || evictedWith != null) {
            return evictedWith != null;
        }
        try {
            socket.setSoTimeout(CLIENT_LOOK_MILLIS);
            int n = in.read(early, earlyLength, early.length - earlyLength);
            if (n < 0) {
                return true;
            }
            earlyLength += n;
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public Boolean quit(Action.Quit quit) throws IOException {
        out.write(Resp.OK);
        return false;
    }

    /** True when the sleep ran its course; false when the server's stop interrupted it. */
    private boolean sleep(long millis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            Thread.sleep(millis);
            ledger.sleepResumed(deadline);
            return true;
        } catch (InterruptedException e) {
            if (stopping) {
                return false;
            }
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * The server is stopping and the grace is over: a request under way ends (a SLEEP is interrupted) with the
     * stopping error, as does every request read and not yet served; a thread waiting for a request sees the end of
     * its input. This thread writes the errors and closes; {@link #abort()} closes what remains.
     */
    void refuseRemaining() {
        stopping = true;
        Thread t = thread;
        if (inRequest && t != null) {
            t.interrupt();
        } else {
            try {
                socket.shutdownInput();
            } catch (IOException e) {
                log.debug("stopping {}: {}", socket.getRemoteSocketAddress(), e.toString());
            }
        }
    }

    /** Closes the socket when a write has been blocked for {@code timeoutNanos}: the watchdog's check. */
    void closeIfWriteStalled(long now, long timeoutNanos) {
        long since = writingSince;
        if (since != 0 && now - since >= timeoutNanos) {
            log.debug("closing {}: a write made no progress for {} ms", socket.getRemoteSocketAddress(),
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            stats.stalledWriteClosed();
            writingSince = 0;
            try {
                // a reset (SO_LINGER 0): the client learns at once and the kernel drops the unsent reply now, where
                // a graceful close would leave both to the kernel's zero-window probes; the blocked write fails
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException e) {
                log.debug("closing {}: {}", socket.getRemoteSocketAddress(), e.toString());
            }
        }
    }

    /** The socket's output, with the start of each blocking write recorded for the write timeout. */
    private final class WatchedOutput extends OutputStream {
        private final OutputStream socketOut;

        WatchedOutput(OutputStream socketOut) {
            this.socketOut = socketOut;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writingSince = System.nanoTime() | 1; // never 0 while writing
            try {
                socketOut.write(b, off, len);
            } finally {
                writingSince = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            socketOut.flush();
        }
    }

    /** Closes the socket and wakes the thread, for shutdown. */
    void abort() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", socket.getRemoteSocketAddress(), e.toString());
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
