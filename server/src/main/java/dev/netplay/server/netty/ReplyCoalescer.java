package dev.netplay.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Gathers a read burst's small replies into one buffer of the channel's allocator, as redis-server appends replies to
 * its client's output buffer: replies written as {@code byte[]} (with the void promise) go on together when anything
 * else is written, at a flush, or when they fill {@link #MAX_BYTES}. So 16 pipelined PINGs cost one buffer, one
 * outbound entry and one write(2) instead of 16 of each. A burst of one reply goes on as {@link SharedReplies} makes
 * it (a duplicate of a shared buffer for a constant): nothing to gather, no copy. Every write passes through here, so
 * replies keep their order.
 */
final class ReplyCoalescer extends ChannelOutboundHandlerAdapter {
    /** Replies up to this size are gathered; larger ones are written as buffers of their own. */
    static final int MAX_GATHERED_REPLY_BYTES = 512;
    /** A gathering buffer starts this big and grows as replies arrive ... */
    private static final int INITIAL_BYTES = 256;
    /** ... and goes on once it holds this much, so what waits here, unseen by the outbound buffer, stays small. */
    private static final int MAX_BYTES = 16 * 1024; // 16 KiB

    /** The burst's first reply, kept as it is until a second one comes. */
    private byte[] first;
    private ByteBuf gathered;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof byte[] reply && reply.length <= MAX_GATHERED_REPLY_BYTES && promise.isVoid()) {
            gather(ctx, reply);
            return;
        }
        writeGathered(ctx);
        ctx.write(msg instanceof byte[] reply ? SharedReplies.of(reply, ctx.alloc()) : msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writeGathered(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        writeGathered(ctx); // joins the writes not yet flushed, which the channel releases as it closes
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        first = null;
        if (gathered != null) {
            gathered.release();
            gathered = null;
        }
    }

    private void gather(ChannelHandlerContext ctx, byte[] reply) {
        if (gathered == null) {
            if (first == null) {
                first = reply;
                return;
            }
            gathered = ctx.alloc().ioBuffer(Math.max(INITIAL_BYTES, first.length + reply.length));
            gathered.writeBytes(first);
            first = null;
        }
        gathered.writeBytes(reply);
        if (gathered.readableBytes() >= MAX_BYTES) {
            writeGathered(ctx);
        }
    }

    private void writeGathered(ChannelHandlerContext ctx) {
        if (first != null) {
            byte[] reply = first;
            first = null;
            ctx.write(SharedReplies.of(reply, ctx.alloc()), ctx.voidPromise());
        } else if (gathered != null) {
            ByteBuf out = gathered;
            gathered = null;
            ctx.write(out, ctx.voidPromise());
        }
    }
}
