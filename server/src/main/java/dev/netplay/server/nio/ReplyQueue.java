package dev.netplay.server.nio;

import dev.netplay.common.protocol.DataPattern;
import dev.netplay.common.resp.Resp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One {@link SelectorConnection}'s replies waiting to be written, and the DATA reply it streams: queued chunk by chunk
 * up to {@link SelectorConnection#HIGH_WATER_BYTES} as the socket drains, as slices of the one shared pattern, which
 * no client holds as its own memory. Touched by the loop thread only.
 */
final class ReplyQueue {
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    /** Called once a DATA reply is wholly queued: the request behind it may be served. */
    private final Runnable dataQueued;
    private long bytes;
    /** Of {@link #bytes}, the slices of the shared DATA pattern. */
    private long sharedBytes;
    private boolean streaming;
    private long dataRemaining;
    private long dataWritten;
    /** When the replies waiting last moved (or began to wait): the write timeout's clock. */
    private long lastProgress = System.nanoTime();

    ReplyQueue(Runnable dataQueued) {
        this.dataQueued = dataQueued;
    }

    void add(byte[] reply) {
        enqueue(ByteBuffer.wrap(reply));
    }

    /** A DATA reply of {@code length} bytes: its header, and its chunks as far as the high-water mark allows. */
    void startData(long length) {
        streaming = true;
        dataRemaining = length;
        dataWritten = 0;
        add(Resp.bulkHeader(length));
        streamData();
    }

    /** Whether a DATA reply is being queued; part of it may be written already. */
    boolean streaming() {
        return streaming;
    }

    private void streamData() {
        while (dataRemaining > 0 && bytes < SelectorConnection.HIGH_WATER_BYTES) {
            int chunk = (int) Math.min(DataPattern.CHUNK_BYTES, dataRemaining);
            enqueue(ByteBuffer.wrap(DataPattern.array(), DataPattern.offsetFor(dataWritten), chunk));
            sharedBytes += chunk;
            dataWritten += chunk;
            dataRemaining -= chunk;
        }
        if (streaming && dataRemaining == 0) {
            add(Resp.CRLF);
            streaming = false;
            dataQueued.run();
        }
    }

    private void enqueue(ByteBuffer buffer) {
        if (out.isEmpty()) {
            lastProgress = System.nanoTime();
        }
        out.add(buffer);
        bytes += buffer.remaining();
    }

    /** Writes what the socket takes now, queuing DATA's next chunks as room is made. */
    void writeTo(SocketChannel channel) throws IOException {
        while (!out.isEmpty()) {
            ByteBuffer head = out.peek();
            int written = channel.write(head);
            bytes -= written;
            if (written > 0) {
                lastProgress = System.nanoTime();
                if (head.hasArray() && head.array() == DataPattern.array()) {
                    sharedBytes -= written;
                }
            }
            if (head.hasRemaining()) {
                return; // the socket is full
            }
            out.poll();
            if (streaming && bytes < SelectorConnection.HIGH_WATER_BYTES) {
                streamData(); // the next chunks, now that there is room
            }
        }
    }

    /** Drops every reply not yet written, and the rest of a DATA reply (an eviction). */
    void clear() {
        out.clear();
        bytes = 0;
        sharedBytes = 0;
        dataRemaining = 0;
        streaming = false;
    }

    boolean isEmpty() {
        return out.isEmpty();
    }

    /** Bytes waiting to be written. */
    long bytes() {
        return bytes;
    }

    /** Bytes waiting that are this client's own: not the shared pattern's. */
    long ownBytes() {
        return bytes - sharedBytes;
    }

    long lastProgress() {
        return lastProgress;
    }
}
