package dev.netplay.server.netty;

import dev.netplay.common.protocol.Action;
import dev.netplay.common.protocol.ServerStats;
import dev.netplay.common.resp.Resp;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Carries out one request's {@link Action} on its connection's event loop. A reply is written at once; SLEEP is a
 * timer on the loop; DATA streams through {@code ChunkedWriteHandler}; with an offload executor, blocking SLEEPs and
 * WORK run on it and their replies come back through the loop. What takes time calls {@code done} when its reply is
 * written. Nothing here flushes: {@link RespServerHandler} flushes once per burst. Replies are written as their
 * bytes, which {@link ReplyCoalescer} gathers into the burst's buffer, with the void promise (no promise object per
 * write) except where a listener must learn that the write is done: a failed write then reaches
 * {@code exceptionCaught}, which closes the connection.
 */
final class ActionRunner implements Action.Visitor<ActionRunner.Outcome, RuntimeException> {
    /** What became of a request once its action started. */
    enum Outcome {
        /** Its reply is written. */
        REPLIED,
        /** Its reply comes later, and then {@code done} runs. */
        PENDING,
        /** The connection is closing (after QUIT's reply, or at once because the server is stopping). */
        CLOSING
    }

    private final ChannelHandlerContext ctx;
    private final ServerStats stats;
    private final boolean blockingSleep;
    /** Where blocking SLEEPs and WORK run, off the event loop; null: on it. */
    private final Executor offload;
    private final Runnable done;
    private ScheduledFuture<?> sleepTimer;

    ActionRunner(ChannelHandlerContext ctx, ServerStats stats, boolean blockingSleep, Executor offload, Runnable done) {
        this.ctx = ctx;
        this.stats = stats;
        this.blockingSleep = blockingSleep;
        this.offload = offload;
        this.done = done;
    }

    /** The client is gone: a pending SLEEP ends now, not when its timer would have fired. */
    void cancel() {
        if (sleepTimer != null) {
            sleepTimer.cancel(false);
            sleepTimer = null;
        }
    }

    @Override
    public Outcome reply(Action.Reply reply) {
        ctx.write(reply.bytes(), ctx.voidPromise()); // into the burst's buffer (ReplyCoalescer)
        return Outcome.REPLIED;
    }

    @Override
    public Outcome sleep(Action.Sleep sleep) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sleep.millis());
        if (blockingSleep && offload != null) {
            // The fix for blocking code: it blocks a thread of the offload executor, and the reply comes back
            // through this connection's event loop, in order (the connection serves nothing else meanwhile).
            return offloadThen(() -> {
                blockingSleep(sleep.millis());
                return null;
            }, none -> {
                stats.sleepResumed(deadline);
                ctx.write(Resp.OK, ctx.voidPromise());
            });
        }
        if (blockingSleep) {
            // The classic mistake, on purpose: every connection of this event loop waits too.
            blockingSleep(sleep.millis());
            stats.sleepResumed(deadline);
            ctx.write(Resp.OK, ctx.voidPromise());
            return Outcome.REPLIED;
        }
        sleepTimer = ctx.executor().schedule(() -> {
            sleepTimer = null;
            stats.sleepResumed(deadline);
            ctx.write(Resp.OK, ctx.voidPromise());
            done.run();
        }, sleep.millis(), TimeUnit.MILLISECONDS);
        return Outcome.PENDING;
    }

    @Override
    public Outcome data(Action.Data data) {
        ctx.write(Resp.bulkHeader(data.length()), ctx.voidPromise());
        ctx.write(new DataChunks(data.length()));
        // Written once every chunk before it is: then the reply is complete (or the channel failed and is closing).
        ctx.write(SharedReplies.CRLF.duplicate()).addListener(written -> done.run());
        return Outcome.PENDING;
    }

    @Override
    public Outcome work(Action.Work work) {
        if (offload == null) {
            ctx.write(work.reply(), ctx.voidPromise()); // on the loop: its other connections wait
            return Outcome.REPLIED;
        }
        return offloadThen(work::reply, reply -> ctx.write(reply, ctx.voidPromise()));
    }

    @Override
    public Outcome quit(Action.Quit quit) {
        ctx.writeAndFlush(SharedReplies.OK.duplicate()).addListener(ChannelFutureListener.CLOSE);
        return Outcome.CLOSING;
    }

    /** Runs {@code blocking} on the offload executor, then {@code reply} with its result on this connection's loop. */
    private <T> Outcome offloadThen(Callable<T> blocking, Consumer<T> reply) {
        try {
            offload.execute(() -> {
                T result;
                try {
                    result = blocking.call();
                } catch (Exception e) {
                    ctx.executor().execute(ctx::close); // nothing here throws but an interrupt at shutdown
                    return;
                }
                ctx.executor().execute(() -> {
                    reply.accept(result);
                    done.run();
                });
            });
            return Outcome.PENDING;
        } catch (RejectedExecutionException stopping) {
            ctx.close(); // the server is stopping
            return Outcome.CLOSING;
        }
    }

    private static void blockingSleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
