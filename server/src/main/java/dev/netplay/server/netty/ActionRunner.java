package dev.netplay.server.netty;

import dev.netplay.common.protocol.Action;
import dev.netplay.server.core.ServerStats;
import dev.netplay.common.protocol.Work;
import dev.netplay.common.resp.Resp;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Carries out one request's {@link Action} on its connection's event loop. A reply is written at once; SLEEP is a
 * timer on the loop; DATA streams through {@code ChunkedWriteHandler}; WORK runs on the loop in slices, letting the
 * loop's other connections (and its I/O) run between them; with an offload executor, blocking SLEEPs and WORK run on
 * it and their replies come back through the loop. With {@code blockingSleep} and no executor (the lesson of
 * {@code netty-blocking}) SLEEP and WORK block the loop whole. What takes time calls {@code done} when its reply is
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

    /**
     * How a netty model carries out its actions.
     *
     * @param blockingSleep     SLEEP (and backend calls) as blocking code, as netty-blocking and the offload models do
     * @param offload           where blocking SLEEPs and WORK run, off the event loop; null: on it
     * @param offloadQueueBound requests that may wait for the offload executor at once
     * @param backends          FETCH's and GATHER's calls
     */
    record Options(boolean blockingSleep, ExecutorService offload, int offloadQueueBound, Backends backends) {
        /** Timers, no offload, no backend: the default server's. */
        static final Options TIMERS = new Options(false, null, 0, Backends.NONE);
    }

    private final ChannelHandlerContext ctx;
    private final ServerStats stats;
    private final boolean blockingSleep;
    private final ExecutorService offload;
    private final int offloadQueueBound;
    private final Runnable done;
    private final Backends backends;
    /** A FETCH's or GATHER's calls from this loop, pending. */
    private dev.netplay.server.backend.Gathering calls;
    private ScheduledFuture<?> sleepTimer;
    private Future<?> offloaded;
    private Work.Progress working;
    /** A DATA reply is streaming: part of it may be written, so no other reply can take its place. */
    private boolean streaming;
    /** Which pending action a reply coming back from the offload executor belongs to; a cancel moves it on. */
    private int ticket;

    ActionRunner(ChannelHandlerContext ctx, ServerStats stats, Options options, Runnable done) {
        this.backends = options.backends();
        this.ctx = ctx;
        this.stats = stats;
        this.blockingSleep = options.blockingSleep();
        this.offload = options.offload();
        this.offloadQueueBound = options.offloadQueueBound();
        this.done = done;
    }

    /**
     * The pending action ends now, its reply never to be written: a SLEEP's timer is cancelled, an offloaded call
     * interrupted (or never started), WORK left undone. False if part of its reply may already be written (DATA).
     */
    boolean cancel() {
        ticket++;
        if (sleepTimer != null) {
            sleepTimer.cancel(false);
            sleepTimer = null;
        }
        if (offloaded != null) {
            offloaded.cancel(true);
            offloaded = null;
        }
        working = null;
        if (calls != null) {
            calls.cancel(); // they end now: a channel carrying one is closed, a waiting one gives its turn away
            calls = null;
        }
        return !streaming;
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
                Thread.sleep(sleep.millis());
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
        streaming = true;
        RespChannelInitializer.streamChunks(ctx.pipeline());
        ctx.write(Resp.bulkHeader(data.length()), ctx.voidPromise());
        ctx.write(new DataChunks(data.length()));
        // Written once every chunk before it is: then the reply is complete (or the channel failed and is closing).
        ctx.write(SharedReplies.CRLF.duplicate()).addListener(written -> {
            streaming = false;
            done.run();
        });
        return Outcome.PENDING;
    }

    @Override
    public Outcome work(Action.Work work) {
        if (offload != null) {
            return offloadThen(work::reply, reply -> ctx.write(reply, ctx.voidPromise()));
        }
        if (blockingSleep) {
            ctx.write(work.reply(), ctx.voidPromise()); // the lesson: on the loop, whole; its other connections wait
            return Outcome.REPLIED;
        }
        working = work.start();
        if (working.step(Work.SLICE_ROUNDS)) { // small work (WORK 2000 is ~115 µs) runs at once, as before
            ctx.write(Action.Work.reply(working), ctx.voidPromise());
            working = null;
            return Outcome.REPLIED;
        }
        yieldThen(this::continueWork);
        return Outcome.PENDING;
    }

    /** The next slice of WORK, after the loop has done its I/O and other tasks. */
    private void continueWork() {
        Work.Progress progress = working;
        if (progress == null) {
            return; // cancelled: the client went away, or the server is stopping
        }
        if (progress.step(Work.SLICE_ROUNDS)) {
            working = null;
            ctx.write(Action.Work.reply(progress), ctx.voidPromise());
            done.run();
        } else {
            yieldThen(this::continueWork);
        }
    }

    /**
     * Runs {@code next} on the loop after its pending I/O: a scheduled task waits for the next turn, where a task
     * handed to {@code execute} could run within the same turn's task quantum, again and again.
     */
    void yieldThen(Runnable next) {
        ctx.executor().schedule(next, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public Outcome fetch(Action.Fetch fetch) {
        if (backends.blocking() != null && offload != null) {
            // Blocking code off the loop: the calls block an offload thread (a virtual one with --offload virtual).
            // A platform thread blocked in a socket read does not wake for the cancel's interrupt: the calls look.
            return offloadThen(() -> backends.blocking().calls(fetch, () -> !ctx.channel().isActive()), reply -> {
                if (reply == null) {
                    ctx.close(); // its client left: nobody to answer
                } else {
                    ctx.write(reply, ctx.voidPromise());
                }
            });
        }
        if (backends.blocking() != null) {
            // netty-blocking's lesson: the loop itself blocks in the backend read, and its other connections wait.
            try {
                ctx.write(backends.blocking().calls(fetch), ctx.voidPromise());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ctx.close();
                return Outcome.CLOSING;
            }
            return Outcome.REPLIED;
        }
        byte[][] answeredAtOnce = new byte[1][];
        boolean[] starting = {true};
        dev.netplay.server.backend.Gathering started = backends.loop().start(ctx.channel().eventLoop(), fetch, reply -> {
            if (starting[0]) {
                answeredAtOnce[0] = reply; // e.g. the pool is closed: the reply is written as any immediate one
                return;
            }
            calls = null;
            ctx.write(reply, ctx.voidPromise());
            done.run();
        });
        starting[0] = false;
        if (answeredAtOnce[0] != null) {
            ctx.write(answeredAtOnce[0], ctx.voidPromise());
            return Outcome.REPLIED;
        }
        calls = started;
        return Outcome.PENDING;
    }

    @Override
    public Outcome quit(Action.Quit quit) {
        ctx.writeAndFlush(SharedReplies.OK.duplicate()).addListener(ChannelFutureListener.CLOSE);
        return Outcome.CLOSING;
    }

    /** Runs {@code blocking} on the offload executor, then {@code reply} with its result on this connection's loop. */
    private <T> Outcome offloadThen(Callable<T> blocking, Consumer<T> reply) {
        int mine = ++ticket;
        try {
            offloaded = offload.submit(() -> {
                if (!ctx.channel().isActive()) {
                    return; // its client left while it queued: nothing to do for anyone
                }
                T result;
                try {
                    result = blocking.call();
                } catch (InterruptedException e) {
                    return; // cancelled: the client left, or the server is stopping and answers it itself
                } catch (Exception e) {
                    ctx.executor().execute(ctx::close); // nothing here throws but an interrupt
                    return;
                }
                ctx.executor().execute(() -> {
                    if (ticket != mine) {
                        return; // cancelled meanwhile
                    }
                    offloaded = null;
                    reply.accept(result);
                    done.run();
                });
            });
            return Outcome.PENDING;
        } catch (RejectedExecutionException e) {
            if (offload.isShutdown()) {
                ctx.close(); // the server is stopping
                return Outcome.CLOSING;
            }
            stats.requestRejected();
            ctx.write(Resp.error("offload queue full: " + offloadQueueBound + " requests already wait for the offload "
                    + "threads (netty --offload-queue)"), ctx.voidPromise());
            return Outcome.REPLIED;
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
