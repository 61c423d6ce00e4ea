package dev.netplay.server.threads;


import dev.netplay.common.protocol.Action;
import dev.netplay.server.core.ClientMemory;
import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.server.core.ConnectionLedger;
import dev.netplay.common.protocol.DataPattern;
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
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    private static final int WRITE_BUFFER_BYTES = 8 * 1024; // 8 KiB

    private final Socket socket;
    private final CommandDispatcher dispatcher;
    private final Consumer<ConnectionHandler> onClose;
    private volatile Thread thread;
    /** Its parser, session, memory, request in flight and end: the bookkeeping every model shares. */
    private final ConnectionLedger ledger;
    /** Set by an eviction: the reply to send once the blocked read returns. */
    private volatile byte[] evictedWith;
    /** FETCH's and GATHER's calls; null when the server has no backend (the dispatcher then answers them itself). */
    private final BlockingBackend backend;
    private final int idleTimeoutMillis;
    /** The server is stopping and its grace is over: every request still to serve gets the stopping error. */
    private volatile boolean stopping;
    /** This connection's thread is serving a request (not blocked reading one). */
    private volatile boolean inRequest;
    /** The socket's output, which records when the write this thread is blocked in began. */
    private volatile WatchedOutput output;

    ConnectionHandler(Socket socket, CommandDispatcher dispatcher, ServerStats stats, Consumer<ConnectionHandler> onClose,
                      int idleTimeoutMillis, BlockingBackend backend) {
        this.backend = backend;
        this.socket = socket;
        this.dispatcher = dispatcher;
        this.onClose = onClose;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.ledger = new ConnectionLedger(stats, socket.getRemoteSocketAddress(), this, dispatcher.settings().guards());
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
            serve(new SocketInput(socket, ledger, idleTimeoutMillis),
                    new BufferedOutputStream(output = new WatchedOutput(socket.getOutputStream()), WRITE_BUFFER_BYTES));
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
    /** The socket's input, read within the request and idle timeouts. */
    private SocketInput in;

    private void serve(SocketInput in, OutputStream out) throws IOException {
        this.out = out;
        this.in = in;
        RequestParser parser = ledger.parser();
        byte[] buf = new byte[READ_BUFFER_BYTES];
        int n = 0;
        while (!stopping && (n = in.read(buf)) > 0) {
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
                ledger.requestProgress(!parser.isIdle(), false, System.nanoTime());
                if (request != null && !execute(request)) {
                    out.flush();
                    return;
                }
            }
            out.flush();
        }
        byte[] timedOut = n == SocketInput.TIMED_OUT ? ledger.requestTimedOut(System.nanoTime()) : null;
        if (timedOut != null) {
            out.write(timedOut);
            out.flush();
            return;
        }
        byte[] evicted = evictedWith;
        if (evicted != null) {
            out.write(evicted);
            out.flush();
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
        out.write(ledger.refused());
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
        if (!ThreadWaits.sleep(sleep.millis(), ledger, () -> stopping)) {
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
        if (!ThreadWaits.workInSlices(progress, () -> stopping)) {
            return refuse();
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
            reply = backend.calls(fetch, () -> evictedWith != null || in.clientLeft());
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

    @Override
    public Boolean quit(Action.Quit quit) throws IOException {
        out.write(Resp.OK);
        return false;
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

    /** Closes the socket when a write has been blocked for the write timeout: the watchdog's check, from its thread. */
    void closeIfWriteStalled(long now) {
        WatchedOutput o = output;
        long since = o == null ? 0 : o.writingSince();
        if (since != 0 && ledger.writeStalled(since, now)) {
            log.debug("closing {}: a write made no progress for {} ms", socket.getRemoteSocketAddress(),
                    TimeUnit.NANOSECONDS.toMillis(ledger.writeTimeoutNanos()));
            o.clear();
            try {
                socket.setSoLinger(true, 0); // a reset, as the ledger says; the blocked write fails
                socket.close();
            } catch (IOException e) {
                log.debug("closing {}: {}", socket.getRemoteSocketAddress(), e.toString());
            }
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
