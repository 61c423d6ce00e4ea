package dev.netplay.server.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The idle timeout, as Redis keeps it: a read only marks the connection as heard from, and a timer looks every
 * quarter of the timeout; {@link #CHECKS_PER_TIMEOUT} looks in a row with nothing read fire Netty's
 * {@code READER_IDLE} event, which {@link RespServerHandler} turns into a close when no request is in flight. So a
 * silent connection closes between the timeout and 1.25 times it. Netty's {@code IdleStateHandler} reads the clock at
 * every read instead: on a VM whose clock reads go through the kernel that was ~0.1 µs of a 15 µs PING.
 */
final class IdleWatch extends ChannelInboundHandlerAdapter {
    static final int CHECKS_PER_TIMEOUT = 4;

    private final long periodNanos;
    private boolean heard;
    private int quietChecks;
    private ScheduledFuture<?> timer;

    IdleWatch(Duration timeout) {
        this.periodNanos = Math.max(1, timeout.toNanos() / CHECKS_PER_TIMEOUT);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().scheduleAtFixedRate(() -> check(ctx), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        heard = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private void check(ChannelHandlerContext ctx) {
        if (heard) {
            heard = false;
            quietChecks = 0;
        } else if (++quietChecks >= CHECKS_PER_TIMEOUT) {
            quietChecks = 0; // a connection kept open (a request in flight) is judged again a timeout later
            ctx.fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        }
    }
}
