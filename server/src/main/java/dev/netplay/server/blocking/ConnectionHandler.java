package dev.netplay.server.blocking;

import dev.netplay.common.protocol.Action;
import dev.netplay.common.protocol.ClientMemory;
import dev.netplay.common.protocol.CommandDispatcher;
import dev.netplay.common.protocol.DataPattern;
import dev.netplay.common.protocol.ServerStats;
import dev.netplay.common.protocol.Session;
import dev.netplay.common.resp.ProtocolException;
import dev.netplay.common.resp.RequestParser;
import dev.netplay.common.resp.Resp;
import dev.netplay.server.Fatal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection of the blocking server, served by one thread for its whole life: blocking reads, requests one at
 * a time, SLEEP as {@code Thread.sleep} on this thread. Replies are flushed once per read.
 */
final class ConnectionHandler implements Runnable, ClientMemory.Client, Action.Visitor<Boolean, IOException> {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final int READ_BUFFER_BYTES = 4 * 1024; // 4 KiB
    private static final int WRITE_BUFFER_BYTES = 8 * 1024; // 8 KiB

    private final Socket socket;
    private final CommandDispatcher dispatcher;
    private final ServerStats stats;
    private final Consumer<ConnectionHandler> onClose;
    private volatile Thread thread;
    private final ClientMemory.Usage memory;
    /** Set by an eviction: the reply to send once the blocked read returns. */
    private volatile byte[] evictedWith;

    ConnectionHandler(Socket socket, CommandDispatcher dispatcher, ServerStats stats, Consumer<ConnectionHandler> onClose) {
        this.socket = socket;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.onClose = onClose;
        this.memory = stats.clientMemory().register(this);
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
            serve(socket.getInputStream(), new BufferedOutputStream(socket.getOutputStream(), WRITE_BUFFER_BYTES));
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
            stats.clientMemory().unregister(memory);
            stats.disconnected();
            onClose.accept(this);
        }
    }

    /** This connection's replies, buffered and flushed once per read. */
    private OutputStream out;

    private void serve(InputStream in, OutputStream out) throws IOException {
        this.out = out;
        RequestParser parser = new RequestParser(CommandDispatcher.COMMAND_NAMES);
        Session session = stats.newSession();
        byte[] buf = new byte[READ_BUFFER_BYTES];
        int n;
        while ((n = in.read(buf)) > 0) {
            int off = 0;
            while (off < n) {
                try {
                    off += parser.feed(buf, off, n - off);
                    stats.clientMemory().update(memory, parser.heldBytes());
                } catch (ProtocolException e) {
                    out.write(e.toReply());
                    out.flush();
                    return;
                }
                List<byte[]> request = parser.poll();
                if (request != null && !execute(session, request)) {
                    out.flush();
                    return;
                }
            }
            out.flush();
        }
        byte[] evicted = evictedWith;
        if (evicted != null) {
            out.write(evicted);
            out.flush();
        }
    }

    /** Serves one request; false when the connection must close. Requests in flight are counted here only. */
    private boolean execute(Session session, List<byte[]> request) throws IOException {
        stats.requestStarted();
        try {
            return dispatcher.dispatch(session, request).accept(this);
        } finally {
            stats.requestFinished();
        }
    }

    @Override
    public Boolean reply(Action.Reply reply) throws IOException {
        out.write(reply.bytes());
        return true;
    }

    @Override
    public Boolean sleep(Action.Sleep sleep) throws IOException {
        out.flush(); // earlier replies need not wait for this one
        sleep(sleep.millis());
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
        out.write(work.reply()); // this connection's own thread computes it: the other connections run on theirs
        return true;
    }

    @Override
    public Boolean quit(Action.Quit quit) throws IOException {
        out.write(Resp.OK);
        return false;
    }

    private void sleep(long millis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            Thread.sleep(millis);
            stats.sleepResumed(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted by server shutdown", e);
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
