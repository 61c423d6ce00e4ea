package dev.netplay.server.netty;

import dev.netplay.common.protocol.DataPattern;
import dev.netplay.common.resp.Resp;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Replies as buffers: the constant ones ({@code +OK}, {@code +PONG}, ...) and the DATA pattern are shared,
 * read-only direct buffers made once, written as duplicates (no copy, nothing to release); any other reply is
 * written into a buffer of the channel's allocator, direct where the transport wants it. {@link ReplyCoalescer}
 * uses them for a burst of one reply; more replies it gathers into one buffer.
 */
final class SharedReplies {
    /**
     * Never sampled by the leak detector (a tracked shared buffer would wrap every duplicate in a tracker of its own),
     * and a Netty direct buffer rather than a wrapped NIO one: a duplicate of it has a memory address, so the epoll
     * transport hands that to send(2) as it is; a read-only NIO buffer has none, and every write of it made a new
     * ByteBuffer and went through JNI's buffer lookups (about 0.4 µs of a PING's 15 µs in a profile).
     */
    private static final ByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(true, true);
    private static final Map<byte[], ByteBuf> CONSTANT = new IdentityHashMap<>();
    static final ByteBuf OK = constant(Resp.OK);
    static final ByteBuf CRLF = constant(Resp.CRLF);
    private static final ByteBuf PONG = constant(Resp.PONG);
    /** The DATA pattern: a chunk of any length up to {@link DataPattern#CHUNK_BYTES} at any phase is a slice of it. */
    static final ByteBuf PATTERN = shared(DataPattern.array());

    static {
        constant(Resp.EMPTY_ARRAY);
    }

    private SharedReplies() {
    }

    private static ByteBuf constant(byte[] reply) {
        ByteBuf buf = shared(reply);
        CONSTANT.put(reply, buf);
        return buf;
    }

    private static ByteBuf shared(byte[] bytes) {
        ByteBuf direct = UNTRACKED.directBuffer(bytes.length, bytes.length).writeBytes(bytes);
        return Unpooled.unreleasableBuffer(direct.asReadOnly());
    }

    /** The reply as a buffer to write: a duplicate of a shared one, or a copy into {@code alloc}'s buffer. */
    static ByteBuf of(byte[] reply, ByteBufAllocator alloc) {
        // the commonest constants by identity first: an IdentityHashMap lookup hashes the array's identity each time
        ByteBuf shared = reply == Resp.PONG ? PONG : reply == Resp.OK ? OK : CONSTANT.get(reply);
        if (shared != null) {
            return shared.duplicate();
        }
        return alloc.ioBuffer(reply.length).writeBytes(reply);
    }

    /** Of the replies waiting to be written, the bytes of shared read-only buffers (DATA's slices, constant replies). */
    static long sharedBytes(ChannelOutboundBuffer out) {
        long[] shared = {0};
        try {
            out.forEachFlushedMessage(message -> {
                if (message instanceof ByteBuf buf && buf.isReadOnly()) {
                    shared[0] += buf.readableBytes();
                }
                return true;
            });
        } catch (Exception e) {
            throw new IllegalStateException("counting what the outbound buffer shares", e); // the processor throws nothing
        }
        return shared[0];
    }
}
