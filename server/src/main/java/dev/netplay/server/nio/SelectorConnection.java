package dev.netplay.server.nio;

import dev.netplay.common.protocol.Action;
import dev.netplay.common.protocol.ClientMemory;
import dev.netplay.common.protocol.CommandDispatcher;
import dev.netplay.common.protocol.DataPattern;
import dev.netplay.common.protocol.ServerStats;
import dev.netplay.common.protocol.Session;
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
 * its backpressure: it asks to read only while no request waits and its unwritten replies are below
 * {@link #HIGH_WATER_BYTES}, and to write only while replies wait, so a client that never reads costs a bounded
 * buffer and no CPU (no busy loop on a full socket).
 */
final class SelectorConnection implements ClientMemory.Client, Action.Visitor<Void, RuntimeException> {
    /** Unwritten replies above which no further request is served (and the socket not read). */
    static final int HIGH_WATER_BYTES = 64 * 1024;

    private final SelectorServer server;
    private final SocketChannel channel;
    private final ServerStats stats;
    private final CommandDispatcher dispatcher;
    private final RequestParser parser = new RequestParser(CommandDispatcher.COMMAND_NAMES);
    private final Session session;
    private final ClientMemory.Usage memory;
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private long outBytes;
    /** Bytes read but not yet parsed (a request waited while they arrived). */
    private byte[] leftover = new byte[0];
    private SelectionKey key;
    /** A SLEEP or DATA reply is pending; the requests behind it wait. */
    private boolean busy;
    private boolean inFlight;
    /** A DATA reply is being queued, chunk by chunk as the socket drains. */
    private boolean streaming;
    private long dataRemaining;
    private long dataWritten;
    private boolean inputShutdown;
    private boolean closeWhenWritten;
    private boolean closed;
    private long lastActivity = System.nanoTime();

    SelectorConnection(SelectorServer server, SocketChannel channel, ServerStats stats, CommandDispatcher dispatcher) {
        this.server = server;
        this.channel = channel;
        this.stats = stats;
        this.dispatcher = dispatcher;
        this.session = stats.newSession();
        this.memory = stats.clientMemory().register(this);
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

    /** Serves requests from the bytes read until one must wait, the replies pile up, or the bytes run out. */
    private void serve() {
        int pos = 0;
        try {
            while (!busy && !closeWhenWritten && !closed && outBytes < HIGH_WATER_BYTES && pos < leftover.length) {
                pos += parser.feed(leftover, pos, leftover.length - pos);
                List<byte[]> request = parser.poll();
                if (request != null) {
                    inFlight = true;
                    stats.requestStarted();
                    dispatcher.dispatch(session, request).accept(this);
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
        writeOut();
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
        server.schedule(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sleep.millis()), this);
        return null;
    }

    /** The loop found this connection's SLEEP due. */
    void sleepDone(long deadlineNanos) {
        if (closed) {
            return;
        }
        stats.sleepResumed(deadlineNanos);
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

    @Override
    public Void work(Action.Work work) {
        reply(work.reply()); // on the loop: every other connection waits meanwhile
        finishRequest();
        return null;
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
                outBytes -= channel.write(head);
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
        if (!busy && !closeWhenWritten && outBytes < HIGH_WATER_BYTES && leftover.length > 0) {
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
        boolean wantRead = !busy && !inputShutdown && !closeWhenWritten && outBytes < HIGH_WATER_BYTES;
        key.interestOps((wantRead ? SelectionKey.OP_READ : 0) | (out.isEmpty() ? 0 : SelectionKey.OP_WRITE));
        stats.clientMemory().update(memory, parser.heldBytes() + leftover.length + outBytes);
    }

    private void finishRequest() {
        if (inFlight) {
            inFlight = false;
            stats.requestFinished();
        }
    }

    /** How long this connection has sent nothing while none of its requests was pending (half a request counts as idle). */
    long idleFor(long now) {
        return busy || inFlight ? 0 : now - lastActivity;
    }

    /** Over the server-wide budget: the error where it fits, then close; from any thread. */
    @Override
    public void evict(byte[] reply) {
        server.execute(() -> {
            if (!closed) {
                out.clear();
                outBytes = 0;
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

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        finishRequest();
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
        stats.clientMemory().unregister(memory);
        stats.disconnected();
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
