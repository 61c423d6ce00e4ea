package dev.netplay.server.nio;

import dev.netplay.common.protocol.Action;
import dev.netplay.server.core.ClientMemory;
import dev.netplay.server.core.ConnectionLedger;
import dev.netplay.common.protocol.DataPattern;
import dev.netplay.server.core.RequestClock;
import dev.netplay.server.core.ServerGuards;
import dev.netplay.server.core.ServerStats;
import dev.netplay.common.protocol.Work;
import dev.netplay.common.resp.ProtocolException;
import dev.netplay.common.resp.RequestParser;
import dev.netplay.common.resp.Resp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One connection of {@link SelectorServer}, touched by the loop thread only. It reads when the selector says it can,
 * serves one request at a time, queues replies, and writes them when the socket takes them. Its interest set is
 * its backpressure: it asks to read only while fewer than {@link #READ_AHEAD_BYTES} wait unparsed and its unwritten
 * replies are below {@link #HIGH_WATER_BYTES}, and to write only while replies wait, so a client that never reads
 * costs a bounded buffer and no CPU (no busy loop on a full socket). It keeps reading while a request waits, so a
 * client's reset ends its SLEEP and frees its slot at once.
 */
final class SelectorConnection implements ClientMemory.Client, Action.Visitor<Void, RuntimeException> {
    /** Unwritten replies above which no further request is served (and the socket not read). */
    static final int HIGH_WATER_BYTES = 64 * 1024;
    /** Bytes read but not yet served beyond which the socket is not read: the client is held back by its own socket. */
    static final int READ_AHEAD_BYTES = 64 * 1024;
    /** A connection's pipelined requests served in one go before the loop turns to its other connections. */
    static final int MAX_REQUESTS_PER_TURN = 128;

    private final SelectorServer server;
    private final SocketChannel channel;
    private final ServerStats stats;
    private final ConnectionLedger.Dispatch dispatch;
    private final ServerGuards guards;
    /** Its parser, session, memory, request in flight and end: the bookkeeping every model shares. */
    private final ConnectionLedger ledger;
    private final RequestParser parser;
    private final RequestClock requestClock = new RequestClock();
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private long outBytes;
    /** Of {@link #outBytes}, the slices of the shared DATA pattern: no client's own memory. */
    private long sharedOutBytes;
    /** Bytes read but not yet parsed (a request waited while they arrived). */
    private byte[] leftover = new byte[0];
    private SelectionKey key;
    /** A SLEEP, WORK or DATA reply is pending; the requests behind it wait. */
    private boolean busy;
    /** A SLEEP's timer is pending: its reply is due when it fires. */
    private boolean sleeping;
    private Work.Progress working;
    /** A FETCH's or GATHER's calls are pending: the reply is due when the last is back. */
    private dev.netplay.server.backend.Gathering calls;
    /** The rest of a turn's requests is to be served on the loop's next turn. */
    private boolean turnScheduled;
    /** A DATA reply is being queued, chunk by chunk as the socket drains. */
    private boolean streaming;
    private long dataRemaining;
    private long dataWritten;
    private boolean inputShutdown;
    private boolean closeWhenWritten;
    private boolean closed;
    private long lastActivity = System.nanoTime();
    /** When the replies waiting last moved (or began to wait): the write timeout's clock. */
    private long lastWriteProgress = System.nanoTime();

    SelectorConnection(SelectorServer server, SocketChannel channel, ServerStats stats, ConnectionLedger.Dispatch dispatch,
                       ServerGuards guards) throws IOException {
        this.server = server;
        this.channel = channel;
        this.stats = stats;
        this.dispatch = dispatch;
        this.guards = guards;
        this.ledger = new ConnectionLedger(stats, channel.getRemoteAddress(), this, guards);
        this.parser = ledger.parser();
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

    void onWritable() {
        writeOut();
    }

    /** Serves requests from the bytes read until one must wait, the replies pile up, the turn's budget is spent, or the bytes run out. */
    private void serve() {
        int pos = 0;
        int served = 0;
        try {
            while (!busy && !closeWhenWritten && !closed && outBytes < HIGH_WATER_BYTES && pos < leftover.length) {
                if (served == MAX_REQUESTS_PER_TURN) {
                    continueNextTurn();
                    break;
                }
                pos += parser.feed(leftover, pos, leftover.length - pos);
                List<byte[]> request = parser.poll();
                if (request != null) {
                    served++;
                    ledger.start(dispatch, request).accept(this);
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
        long now = System.nanoTime();
        requestClock.update(!parser.isIdle(), now);
        if (heldBack()) {
            requestClock.restart(now);
        }
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
        return busy || outBytes >= HIGH_WATER_BYTES || leftover.length >= READ_AHEAD_BYTES || inputShutdown;
    }

    @Override
    public Void reply(Action.Reply reply) {
        reply(reply.bytes());
        finishRequest();
        return null;
    }

    @Override
    public Void sleep(Action.Sleep sleep) {
        busy = true;
        sleeping = true;
        server.schedule(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sleep.millis()), this);
        return null;
    }

    /** The loop found this connection's SLEEP due. */
    void sleepDone(long deadlineNanos) {
        if (closed || !sleeping) {
            return;
        }
        sleeping = false;
        ledger.sleepResumed(deadlineNanos);
        busy = false;
        reply(Resp.OK);
        finishRequest();
        serve();
    }

    @Override
    public Void data(Action.Data data) {
        busy = true;
        streaming = true;
        dataRemaining = data.length();
        dataWritten = 0;
        reply(Resp.bulkHeader(data.length()));
        streamData();
        return null;
    }

    /** Queues DATA chunks up to the high-water mark; the rest follows as the socket drains. */
    private void streamData() {
        while (dataRemaining > 0 && outBytes < HIGH_WATER_BYTES) {
            int chunk = (int) Math.min(DataPattern.CHUNK_BYTES, dataRemaining);
            enqueue(ByteBuffer.wrap(DataPattern.array(), DataPattern.offsetFor(dataWritten), chunk));
            sharedOutBytes += chunk;
            dataWritten += chunk;
            dataRemaining -= chunk;
        }
        if (streaming && dataRemaining == 0) {
            reply(Resp.CRLF);
            streaming = false;
            busy = false;
            finishRequest();
        }
    }

    /** WORK on the loop, in slices: between two, the loop serves its other connections. */
    @Override
    public Void work(Action.Work work) {
        Work.Progress progress = work.start();
        if (progress.step(Work.SLICE_ROUNDS)) {
            reply(Action.Work.reply(progress));
            finishRequest();
            return null;
        }
        busy = true;
        working = progress;
        server.nextTurn(this::continueWork);
        return null;
    }

    private void continueWork() {
        Work.Progress progress = working;
        if (closed || progress == null) {
            return;
        }
        if (!progress.step(Work.SLICE_ROUNDS)) {
            server.nextTurn(this::continueWork);
            return;
        }
        working = null;
        busy = false;
        reply(Action.Work.reply(progress));
        finishRequest();
        serve();
    }

    /** The calls go out on the loop's own selector; the connection waits, the loop serves the others. */
    @Override
    public Void fetch(Action.Fetch fetch) {
        busy = true;
        calls = server.backend().start(fetch, reply -> {
            calls = null;
            if (closed) {
                return;
            }
            busy = false;
            reply(reply);
            finishRequest();
            serve();
        });
        return null;
    }

    /** The pending calls' reply will not be written: its client left, or the server stops. */
    private void cancelCalls() {
        if (calls != null) {
            calls.cancel();
            calls = null;
        }
    }

    @Override
    public Void quit(Action.Quit quit) {
        reply(Resp.OK);
        finishRequest();
        closeWhenWritten = true;
        return null;
    }

    private void reply(byte[] bytes) {
        enqueue(ByteBuffer.wrap(bytes));
    }

    private void enqueue(ByteBuffer buffer) {
        if (out.isEmpty()) {
            lastWriteProgress = System.nanoTime();
        }
        out.add(buffer);
        outBytes += buffer.remaining();
    }

    /** Writes what the socket takes now; then sets what to wait for: room to write, or the next request. */
    private void writeOut() {
        if (closed) {
            return;
        }
        try {
            while (!out.isEmpty()) {
                ByteBuffer head = out.peek();
                int written = channel.write(head);
                outBytes -= written;
                if (written > 0) {
                    lastWriteProgress = System.nanoTime();
                    if (head.hasArray() && head.array() == DataPattern.array()) {
                        sharedOutBytes -= written;
                    }
                }
                if (head.hasRemaining()) {
                    break; // the socket is full
                }
                out.poll();
                if (streaming && outBytes < HIGH_WATER_BYTES) {
                    streamData(); // the next chunks, now that there is room
                }
            }
        } catch (IOException e) {
            close();
            return;
        }
        if (out.isEmpty() && closeWhenWritten) {
            close();
            return;
        }
        if (!busy && !closeWhenWritten && !turnScheduled && outBytes < HIGH_WATER_BYTES && leftover.length > 0) {
            serve(); // requests held back (by a DATA reply or the high-water mark) can go on now
            return;
        }
        if (inputShutdown && !busy && leftover.length == 0 && !closeWhenWritten) {
            closeWhenWritten = true; // the last reply of a half-closed client is queued: close once it is written
            if (out.isEmpty()) {
                close();
                return;
            }
        }
        boolean wantRead = !inputShutdown && !closeWhenWritten && outBytes < HIGH_WATER_BYTES
                && leftover.length < READ_AHEAD_BYTES;
        key.interestOps((wantRead ? SelectionKey.OP_READ : 0) | (out.isEmpty() ? 0 : SelectionKey.OP_WRITE));
        ledger.holding(parser.heldBytes() + leftover.length + outBytes - sharedOutBytes);
    }

    private void finishRequest() {
        ledger.finished();
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
        long writeTimeout = guards.writeTimeout().toNanos();
        if (writeTimeout > 0 && !out.isEmpty() && now - lastWriteProgress >= writeTimeout) {
            stats.stalledWriteClosed();
            closeAbortively();
            return;
        }
        if (heldBack()) {
            requestClock.restart(now);
        } else if (!closeWhenWritten && requestClock.expired(now, guards.requestTimeout().toNanos())) {
            stats.requestTimedOut();
            reply(RequestClock.timeoutReply(guards.requestTimeout().toMillis()));
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
        if (ledger.inFlight() && !streaming) {
            reply(RequestClock.SHUTTING_DOWN);
            stats.shutdownError();
        }
        finishRequest();
        sleeping = false;
        working = null;
        cancelCalls();
        busy = false;
        int pos = 0;
        try {
            while (pos < leftover.length) {
                pos += parser.feed(leftover, pos, leftover.length - pos);
                if (parser.poll() != null) {
                    reply(RequestClock.SHUTTING_DOWN);
                    stats.shutdownError();
                }
            }
        } catch (ProtocolException e) {
            // what follows a framing error was never a request
        }
        leftover = new byte[0];
        closeWhenWritten = true;
        writeOut();
    }

    /** Over the server-wide budget: the error where it fits, then close; from any thread. */
    @Override
    public void evict(byte[] reply) {
        server.execute(() -> {
            if (!closed) {
                out.clear();
                outBytes = 0;
                sharedOutBytes = 0;
                dataRemaining = 0;
                streaming = false;
                try {
                    channel.write(ByteBuffer.wrap(reply));
                } catch (IOException ignored) {
                    // it is being closed anyway
                }
                close();
            }
        });
    }

    /**
     * Closes with a reset (SO_LINGER 0): a client that reads nothing learns at once, and the kernel drops the unsent
     * reply now, where a graceful close would leave both to the kernel's zero-window probes.
     */
    private void closeAbortively() {
        try {
            channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // already closed: nothing more to do
        }
        close();
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        working = null;
        cancelCalls();
        sleeping = false;
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
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "a closed connection";
        }
    }
}
