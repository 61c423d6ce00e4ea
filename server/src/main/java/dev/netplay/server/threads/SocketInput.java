package dev.netplay.server.threads;

import dev.netplay.server.core.ConnectionLedger;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A thread-per-connection connection's input: blocking reads within the request timeout (the ledger's clock) and the
 * idle timeout, and the look its backend calls take for a client that left, which keeps what the client sent meanwhile.
 */
final class SocketInput {
    private static final int EARLY_BYTES = 4 * 1024; // 4 KiB
    /** How long a look for a departed client may block this thread. */
    private static final int CLIENT_LOOK_MILLIS = 1;

    private final Socket socket;
    private final InputStream in;
    private final ConnectionLedger ledger;
    private final int idleTimeoutMillis;
    /** What the client sent while a request's backend calls looked for it; read before the socket's next bytes. */
    private final byte[] early = new byte[EARLY_BYTES];
    private int earlyLength;

    SocketInput(Socket socket, ConnectionLedger ledger, int idleTimeoutMillis) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.ledger = ledger;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    /** What {@link #read} returns when the request timeout passed with a request partly received. */
    static final int TIMED_OUT = -2;

    /**
     * A blocking read, with the read timeout cut to what is left of the request timeout while a request is partly
     * received; {@link #TIMED_OUT} once that passes. An idle timeout ends the connection as before (an exception).
     */
    int read(byte[] buf) throws IOException {
        if (earlyLength > 0) {
            int n = Math.min(earlyLength, buf.length);
            System.arraycopy(early, 0, buf, 0, n);
            System.arraycopy(early, n, early, 0, earlyLength - n);
            earlyLength -= n;
            return n;
        }
        while (true) {
            long now = System.nanoTime();
            int timeout = idleTimeoutMillis;
            long left = ledger.requestTimeLeft(now);
            boolean watched = left != Long.MAX_VALUE;
            if (watched) {
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

    /**
     * Whether the client has gone, asked by its backend calls now and then ({@link BlockingBackend}): a read of at
     * most a millisecond sees its close or reset; what it sent meanwhile (pipelined requests) is kept in
     * {@code early} and served after. A client that fills {@code early} is still there.
     */
    boolean clientLeft() {
        if (earlyLength == early.length) {
            return false;
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
}
