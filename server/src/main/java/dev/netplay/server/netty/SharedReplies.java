package dev.netplay.server.netty;

import dev.netplay.common.protocol.DataPattern;
import dev.netplay.common.resp.Resp;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Replies as buffers: the constant ones ({@code +OK}, {@code +PONG}, ...) and the DATA pattern are shared,
 * read-only direct buffers made once, written as duplicates (no copy, nothing to release); any other reply is
 * written into a buffer of the channel's allocator, direct where the transport wants it. {@link ReplyCoalescer}
 * uses them for a burst of one reply; more replies it gathers into one buffer.
 */
final class SharedReplies {
    private static final Map<byte[], ByteBuf> CONSTANT = new IdentityHashMap<>();
    static final ByteBuf OK = constant(Resp.OK);
    static final ByteBuf CRLF = constant(Resp.CRLF);
    /** The DATA pattern: a chunk of any length up to {@link DataPattern#CHUNK_BYTES} at any phase is a slice of it. */
    static final ByteBuf PATTERN = shared(DataPattern.array());

    static {
        constant(Resp.PONG);
        constant(Resp.EMPTY_ARRAY);
    }

    private SharedReplies() {
    }

    private static ByteBuf constant(byte[] reply) {
        ByteBuf buf = shared(reply);
        CONSTANT.put(reply, buf);
        return buf;
    }

    /**
     * Made from a plain NIO buffer rather than an allocator's, so that the leak detector never samples it: a tracked
     * shared buffer would wrap every duplicate in a tracker of its own.
     */
    private static ByteBuf shared(byte[] bytes) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct.asReadOnlyBuffer()));
    }

    /** The reply as a buffer to write: a duplicate of a shared one, or a copy into {@code alloc}'s buffer. */
    static ByteBuf of(byte[] reply, ByteBufAllocator alloc) {
        ByteBuf shared = CONSTANT.get(reply);
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
