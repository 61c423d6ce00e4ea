package dev.netplay.server.nio;

import dev.netplay.server.core.ClientMemory;
import dev.netplay.server.core.ConnectionLedger;
import dev.netplay.server.core.ServerGuards;
import dev.netplay.server.core.ServerStats;
import dev.netplay.common.resp.ProtocolException;
import dev.netplay.common.resp.RequestParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * One connection of {@link SelectorServer}, touched by the loop thread only. It reads when the selector says it can,
 * serves one request at a time, queues replies, and writes them when the socket takes them. Its interest set is
 * its backpressure: it asks to read only while fewer than {@link #READ_AHEAD_BYTES} wait unparsed and its unwritten
 * replies are below {@link #HIGH_WATER_BYTES}, and to write only while replies wait, so a client that never reads
 * costs a bounded buffer and no CPU (no busy loop on a full socket). It keeps reading while a request waits, so a
 * client's reset ends its SLEEP and frees its slot at once.
 */
final class SelectorConnection implements ClientMemory.Client {
    /** Unwritten replies above which no further request is served (and the socket not read). */
    static final int HIGH_WATER_BYTES = 64 * 1024;
    /** Bytes read but not yet served beyond which the socket is not read: the client is held back by its own socket. */
    static final int READ_AHEAD_BYTES = 64 * 1024;
    /** A connection's pipelined requests served in one go before the loop turns to its other connections. */
    static final int MAX_REQUESTS_PER_TURN = 128;

    private final SelectorServer server;
    private final SocketChannel channel;
    private final String remote; // where the client connects from, for the log
    private final ConnectionLedger.Dispatch dispatch;
    private final ConnectionLedger ledger; // the contract every model keeps: bookkeeping and the guards' verdicts
    private final RequestParser parser;
    private final ReplyQueue replies; // waiting to be written, DATA's chunks among them
    /** Bytes read but not yet parsed (a request waited while they arrived). */
    private byte[] leftover = new byte[0];
    private SelectionKey key;
    /** A SLEEP, WORK or DATA reply is pending; the requests behind it wait. */
    private boolean busy;
    private final SelectorActions actions; // how its requests' actions are carried out and waited for
    /** The rest of a turn's requests is to be served on the loop's next turn. */
    private boolean turnScheduled;
    private boolean inputShutdown;
    private boolean closeWhenWritten;
    private boolean closed;
    private long lastActivity = System.nanoTime();

    SelectorConnection(SelectorServer server, SocketChannel channel, ServerStats stats, ConnectionLedger.Dispatch dispatch,
                       ServerGuards guards) throws IOException {
        this.server = server;
        this.channel = channel;
        this.dispatch = dispatch;
        this.remote = String.valueOf(channel.getRemoteAddress());
        this.ledger = new ConnectionLedger(stats, channel.getRemoteAddress(), this, guards);
        this.parser = ledger.parser();
        this.actions = new SelectorActions(server, this, ledger);
        this.replies = new ReplyQueue(() -> { // DATA wholly queued: what waited behind it may go on
            busy = false;
            ledger.finished();
        });
    }

    void register(Selector selector) throws IOException {
        key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    void onReadable() {
        ByteBuffer buffer = server.readBuffer;
        buffer.clear();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            close(); // a reset: the client is gone, and with it any SLEEP of its
            return;
        }
        lastActivity = System.nanoTime();
        if (n < 0) {
            inputShutdown = true; // a half-close (nc -N) or a close: answer what was sent, then close
        } else {
            buffer.flip();
            byte[] bytes = new byte[leftover.length + buffer.remaining()];
            System.arraycopy(leftover, 0, bytes, 0, leftover.length);
            buffer.get(bytes, leftover.length, buffer.remaining());
            leftover = bytes;
        }
        serve();
    }

    /** Serves requests from the bytes read until one must wait, the replies pile up, the turn's budget is spent, or the bytes run out. */
    private void serve() {
        int pos = 0;
        int served = 0;
        try {
            while (!busy && !closeWhenWritten && !closed && replies.bytes() < HIGH_WATER_BYTES && pos < leftover.length) {
                if (served == MAX_REQUESTS_PER_TURN) {
                    continueNextTurn();
                    break;
                }
                pos += parser.feed(leftover, pos, leftover.length - pos);
                List<byte[]> request = parser.poll();
                if (request != null) {
                    served++;
                    ledger.start(dispatch, request).accept(actions);
                }
            }
        } catch (ProtocolException e) {
            reply(e.toReply());
            closeWhenWritten = true;
        }
        if (pos > 0) {
            byte[] rest = new byte[leftover.length - pos];
            System.arraycopy(leftover, pos, rest, 0, rest.length);
            leftover = rest;
        }
        if (inputShutdown && !busy && leftover.length == 0) {
            closeWhenWritten = true;
        }
        ledger.requestProgress(!parser.isIdle(), heldBack(), System.nanoTime());
        writeOut();
    }

    /** Serves the rest on the loop's next turn, after its I/O and its other connections. */
    private void continueNextTurn() {
        if (!turnScheduled) {
            turnScheduled = true;
            server.nextTurn(() -> {
                turnScheduled = false;
                if (!closed) {
                    serve();
                }
            });
        }
    }

    /** This server does not read or parse the connection now: the request timeout's clock is not the client's. */
    private boolean heldBack() {
        return busy || replies.bytes() >= HIGH_WATER_BYTES || leftover.length >= READ_AHEAD_BYTES || inputShutdown;
    }

    /** The request waited for (a SLEEP, WORK or backend calls) is answered: serve what waited behind it. */
    void complete(byte[] reply) {
        busy = false;
        reply(reply);
        ledger.finished();
        serve();
    }

    /** The request's reply is not ready: the requests behind it wait. */
    void waitForReply() {
        busy = true;
    }

    /** The reply queued is the last: close once it is written. */
    void closeAfterReplies() {
        closeWhenWritten = true;
    }

    /** A DATA reply, queued as the socket drains. */
    void startData(long length) {
        busy = true;
        replies.startData(length);
    }

    boolean closed() {
        return closed;
    }

    void reply(byte[] bytes) {
        replies.add(bytes);
    }

    /** Writes what the socket takes now; then sets what to wait for: room to write, or the next request. */
    void writeOut() {
        if (closed) {
            return;
        }
        try {
            replies.writeTo(channel);
        } catch (IOException e) {
            close();
            return;
        }
        if (replies.isEmpty() && closeWhenWritten) {
            close();
            return;
        }
        if (!busy && !closeWhenWritten && !turnScheduled && replies.bytes() < HIGH_WATER_BYTES && leftover.length > 0) {
            serve(); // requests held back (by a DATA reply or the high-water mark) can go on now
            return;
        }
        if (inputShutdown && !busy && leftover.length == 0 && !closeWhenWritten) {
            closeWhenWritten = true; // the last reply of a half-closed client is queued: close once it is written
            if (replies.isEmpty()) {
                close();
                return;
            }
        }
        boolean wantRead = !inputShutdown && !closeWhenWritten && replies.bytes() < HIGH_WATER_BYTES
                && leftover.length < READ_AHEAD_BYTES;
        key.interestOps((wantRead ? SelectionKey.OP_READ : 0) | (replies.isEmpty() ? 0 : SelectionKey.OP_WRITE));
        ledger.holding(parser.heldBytes() + leftover.length + replies.ownBytes());
    }

    /** How long this connection has sent nothing while none of its requests was pending (half a request counts as idle). */
    long idleFor(long now) {
        return busy || ledger.inFlight() ? 0 : now - lastActivity;
    }

    /**
     * The guards, checked about once a second by the loop: a request arriving for longer than the request timeout
     * gets the error and the connection closes after it; replies that made no progress for the write timeout close it.
     */
    void checkTimeouts(long now) {
        if (closed) {
            return;
        }
        if (!replies.isEmpty() && ledger.writeStalled(replies.lastProgress(), now)) {
            try {
                channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0); // a reset, as the ledger says
            } catch (IOException ignored) {
                // already closed: nothing more to do
            }
            close();
            return;
        }
        ledger.requestProgress(!parser.isIdle(), heldBack(), now);
        byte[] timedOut = closeWhenWritten ? null : ledger.requestTimedOut(now);
        if (timedOut != null) {
            reply(timedOut);
            closeWhenWritten = true;
            leftover = new byte[0];
            writeOut();
        }
    }

    /**
     * The server is stopping and the grace is over: each request received and not answered gets the stopping error
     * (the one under way too, unless part of its reply is queued), then the connection closes once they are written.
     */
    void refuseRemaining() {
        if (closed || closeWhenWritten) {
            return;
        }
        if (ledger.inFlight() && !replies.streaming()) {
            reply(ledger.refused());
        }
        ledger.finished();
        actions.cancel();
        busy = false;
        ledger.refuseAll(leftover, this::reply);
        leftover = new byte[0];
        closeWhenWritten = true;
        writeOut();
    }

    /** Over the server-wide budget: the error where it fits, then close; from any thread. */
    @Override
    public void evict(byte[] reply) {
        server.execute(() -> {
            if (!closed) {
                replies.clear();
                try {
                    channel.write(ByteBuffer.wrap(reply));
                } catch (IOException ignored) {
                    // it is being closed anyway
                }
                close();
            }
        });
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        actions.cancel();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
        ledger.close();
        server.closed(this);
    }

    @Override
    public String toString() {
        return remote;
    }
}
