package dev.netplay.server.netty;

import dev.netplay.server.backend.BackendErrors;
import dev.netplay.server.backend.BackendSettings;
import dev.netplay.server.backend.BackendStats;
import dev.netplay.server.backend.ReplyLine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.TimeUnit;

/**
 * One backend channel's end of a call: writes the request, reads the reply's line ({@link ReplyLine}) and hands back
 * the outcome; a timer ends a call the backend does not answer in time. One call at a time, on the channel's loop.
 *
 * <p>The timer is not cancelled when a call ends: cancelling takes it out of the loop's timer heap, a cost per call
 * (a profile at 9,000 calls a second showed it among the top). It fires once per timeout and looks at the call then
 * under way: none (the channel waits idle, unwatched), one past its deadline (it ends), or a later one (re-armed).
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    /** A call's end: {@code error} null if answered as asked; {@code reusable} if the channel may carry another. */
    interface Outcome {
        void ended(byte[] error, boolean reusable);
    }

    private final BackendSettings settings;
    private final BackendStats stats;
    private final ReplyLine line = new ReplyLine();
    private ChannelHandlerContext ctx;
    private Outcome pending;
    private long deadlineNanos;
    private boolean timerArmed;

    BackendHandler(BackendSettings settings, BackendStats stats) {
        this.settings = settings;
        this.stats = stats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Sends {@code request}; {@code outcome} runs once, on this loop, within {@code timeoutNanos}. */
    void call(byte[] request, long timeoutNanos, Outcome outcome) {
        if (timeoutNanos <= 0) {
            outcome.ended(BackendErrors.timedOut(settings), true);
            return;
        }
        if (!ctx.channel().isActive()) {
            // It closed after the pool's health check, before this call (a backend dying under a storm of closes):
            // no channelInactive is to come, and a write to it would fail unheard.
            outcome.ended(BackendErrors.unavailable(BackendErrors.LOST, settings), false);
            return;
        }
        pending = outcome;
        line.reset();
        deadlineNanos = System.nanoTime() + timeoutNanos;
        if (!timerArmed) {
            arm(timeoutNanos);
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(request), ctx.voidPromise()); // a failed write closes the channel
    }

    private void arm(long delayNanos) {
        timerArmed = true;
        ctx.executor().schedule(this::checkDeadline, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkDeadline() {
        timerArmed = false;
        if (pending == null) {
            return;
        }
        if (!ctx.channel().isActive()) {
            end(BackendErrors.unavailable(BackendErrors.LOST, settings), false); // never left waiting past its deadline
            return;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            end(BackendErrors.timedOut(settings), false);
        } else {
            arm(left);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats.connectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (pending == null) {
                ctx.close(); // bytes no call asked for: this channel cannot be trusted with the next one
                return;
            }
            while (buf.isReadable() && line.state() == ReplyLine.State.PARTIAL) {
                line.offer(buf.readByte());
            }
            if (line.state() != ReplyLine.State.PARTIAL) {
                byte[] error = line.error(settings);
                end(error, error == null && !buf.isReadable());
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stats.connectionClosed();
        end(BackendErrors.unavailable(BackendErrors.LOST, settings), false);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset or a failed write: channelInactive ends the call
    }

    private void end(byte[] error, boolean reusable) {
        Outcome outcome = pending;
        if (outcome == null) {
            return;
        }
        pending = null;
        outcome.ended(error, reusable);
    }
}
