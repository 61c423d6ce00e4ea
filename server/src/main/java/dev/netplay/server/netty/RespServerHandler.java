package dev.netplay.server.netty;

import dev.netplay.common.protocol.Requests;

import dev.netplay.server.core.ClientMemory;
import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.server.core.ConnectionLedger;
import dev.netplay.server.core.ServerStats;
import dev.netplay.server.core.Fatal;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Serves one connection's requests, one at a time and in order, as {@link RespRequestDecoder} frames them; each
 * request's action is carried out by an {@link ActionRunner}. Replies are flushed once per read burst.
 *
 * <p>The channel reads only when asked ({@code AUTO_READ} off, {@code ctx.read()} here): while a request waits
 * (a timer, a reply the client has not read) the connection keeps reading, so a client's close or reset is seen at
 * once and its timer cancelled, but only until {@link #READ_AHEAD_BYTES} of requests wait: a client that pipelines
 * without reading its replies is held back by its own socket, as a blocked thread would hold it.
 *
 * <p>No client holds the loop for long: at most {@link #MAX_REQUESTS_PER_TURN} of a connection's pipelined requests
 * are served before the loop does its other work, and the channel is checked to be active before each. A request
 * must arrive whole within the request timeout, and a pending reply must make progress within the write timeout
 * ({@link dev.netplay.server.core.ServerGuards}).
 */
final class RespServerHandler extends ChannelInboundHandlerAdapter implements ClientMemory.Client {
    private static final Logger log = LoggerFactory.getLogger(RespServerHandler.class);
    /** Requests received but not yet served, beyond which the connection stops reading. */
    static final int READ_AHEAD_BYTES = 64 * 1024; // 64 KiB
    /** What a waiting request costs beyond its arguments' bytes: the list and the arrays' headers. */
    private static final int REQUEST_OVERHEAD_BYTES = 64;
    /** A connection's pipelined requests served in one go before the loop turns to its other connections. */
    static final int MAX_REQUESTS_PER_TURN = 128;

    private final CommandDispatcher dispatcher;
    private final ServerStats stats;
    private final boolean blockingSleep;
    /** Where blocking SLEEPs and WORK run, off the event loop; null: on it. */
    private final ExecutorService offload;
    private final int offloadQueueBound;
    private final Backends backends;
    private ScheduledFuture<?> requestTimer;
    private ScheduledFuture<?> writeTimer;
    /** The outbound buffer as the write timer last saw it: whether it moved since. */
    private Object writeSeenMessage;
    private long writeSeenProgress;
    private long writeSeenPending;
    private long writeSeenAt;
    /** The rest of a turn's requests is scheduled for the loop's next turn. */
    private boolean turnScheduled;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private long waitingBytes;
    private ChannelHandlerContext ctx;
    private RespRequestDecoder decoder;
    /** Its session, memory, request in flight and end: the bookkeeping every model shares; set once it is active. */
    private ConnectionLedger ledger;
    private ActionRunner runner;
    /** A request is being served: a SLEEP timer, a DATA stream or offloaded work is pending. */
    private boolean busy;
    private boolean closing;
    /** The client shut its sending side (as {@code nc -N} does): answer what it sent, then close. */
    private boolean inputShutdown;

    RespServerHandler(CommandDispatcher dispatcher, ServerStats stats, boolean blockingSleep, ExecutorService offload,
                      int offloadQueueBound, Backends backends) {
        this.backends = backends;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.blockingSleep = blockingSleep;
        this.offload = offload;
        this.offloadQueueBound = offloadQueueBound;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.decoder = ctx.pipeline().get(RespRequestDecoder.class);
        this.runner = new ActionRunner(ctx, stats, blockingSleep, offload, offloadQueueBound, backends, this::done);
        ledger = new ConnectionLedger(stats, ctx.channel().remoteAddress(), this, dispatcher.settings().guards(),
                decoder != null ? decoder.parser() : new dev.netplay.common.resp.RequestParser(Requests.COMMAND_NAMES));
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        waiting.add(msg);
        waitingBytes += sizeOf(msg);
        serve();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        readIfRoom();
        account();
        watchRequest();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            serve(); // the replies drained: serve what waited, and read again
            ctx.flush();
            readIfRoom();
        }
        account();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true; // the decoder has passed on every request the client sent
            serve();
            ctx.flush();
        } else if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE && !busy && waiting.isEmpty()) {
            log.debug("closing idle connection {}", ctx.channel().remoteAddress());
            closing = true;
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        if (runner != null) {
            runner.cancel();
        }
        cancelTimers();
        finishRequest();
        int dropped = 0;
        for (Object message : waiting) {
            dropped += message instanceof List ? 1 : 0;
            ReferenceCountUtil.release(message);
        }
        if (dropped > 0) {
            stats.requestsDropped(dropped); // requests its client will never read the replies of
        }
        waiting.clear();
        waitingBytes = 0;
        if (ledger != null) {
            ledger.close(); // after the requests above are settled: then the connection's end is counted
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Fatal.isFatal(cause)) {
            Fatal.exit(Thread.currentThread(), cause); // Netty caught it for us; a server must not outlive it
        }
        if (cause instanceof IOException) {
            log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("unexpected error on connection {}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    /** Over the server-wide budget: the reply if it fits the socket now, then close, dropping replies not yet sent. */
    @Override
    public void evict(byte[] reply) {
        ChannelHandlerContext c = ctx;
        c.executor().execute(() -> {
            if (!c.channel().isActive()) {
                return;
            }
            closing = true;
            c.writeAndFlush(Unpooled.wrappedBuffer(reply));
            c.close();
        });
    }

    /** Serves waiting requests in order until one must wait, the socket is full, or none is left. */
    private void serve() {
        int served = 0;
        while (!busy && !closing && !waiting.isEmpty() && ctx.channel().isWritable() && ctx.channel().isActive()) {
            if (served++ == MAX_REQUESTS_PER_TURN) {
                continueNextTurn();
                return;
            }
            Object next = waiting.poll();
            waitingBytes -= sizeOf(next);
            if (next instanceof RespRequestDecoder.ProtocolFailure failure) {
                closing = true;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(failure.reply())).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            @SuppressWarnings("unchecked")
            List<byte[]> request = (List<byte[]>) next;
            ActionRunner.Outcome outcome = ledger.start(dispatcher, request).accept(runner);
            busy = switch (outcome) { // an expression: a new outcome does not compile until it is handled here
                case REPLIED -> {
                    finishRequest();
                    yield false;
                }
                case PENDING -> true;
                case CLOSING -> {
                    closing = true;
                    finishRequest();
                    yield false;
                }
            };
        }
        if (inputShutdown && !busy && !closing && waiting.isEmpty()) {
            closing = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Serves the rest after the loop's other work: its I/O, its other connections (which sees a reset, too). */
    private void continueNextTurn() {
        if (turnScheduled) {
            return;
        }
        turnScheduled = true;
        runner.yieldThen(() -> {
            turnScheduled = false;
            serve();
            ctx.flush();
            readIfRoom();
            account();
        });
    }

    /**
     * The server is stopping and the grace is over: each request received and not answered gets the stopping error
     * (the one under way too, unless part of its reply is already written), then the connection closes.
     */
    void refuseRemaining() {
        if (closing || !ctx.channel().isActive()) {
            return;
        }
        closing = true;
        cancelTimers();
        if (ledger != null && ledger.inFlight() && runner.cancel()) {
            ctx.write(ledger.refused(), ctx.voidPromise());
        }
        finishRequest();
        busy = false;
        for (Object message : waiting) {
            if (message instanceof List) {
                ctx.write(ledger.refused(), ctx.voidPromise());
            }
            ReferenceCountUtil.release(message);
        }
        waiting.clear();
        waitingBytes = 0;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** Starts or stops the request timeout's clock after a read: it runs while a request is partly received. */
    private void watchRequest() {
        if (closing || ledger == null) {
            return;
        }
        long now = System.nanoTime();
        ledger.requestProgress(decoder.partial(), false, now);
        long left = ledger.requestTimeLeft(now);
        if (left != Long.MAX_VALUE && requestTimer == null) {
            requestTimer = ctx.executor().schedule(this::requestTimerFired, left, TimeUnit.NANOSECONDS);
        }
    }

    private void requestTimerFired() {
        requestTimer = null;
        if (closing) {
            return;
        }
        long now = System.nanoTime();
        ledger.requestProgress(decoder.partial(), heldBack(), now); // not reading: the time is not the client's
        long left = ledger.requestTimeLeft(now);
        if (left == Long.MAX_VALUE) {
            return;
        }
        byte[] timedOut = ledger.requestTimedOut(now);
        if (timedOut != null) {
            decoder.fail(); // nothing after it is decoded: the error is the last reply, after those before it
            waiting.add(new RespRequestDecoder.ProtocolFailure(timedOut));
            serve();
            ctx.flush();
            return;
        }
        requestTimer = ctx.executor().schedule(this::requestTimerFired, left, TimeUnit.NANOSECONDS);
    }

    /** This server does not read the connection now: enough requests wait, or its replies wait for the client. */
    private boolean heldBack() {
        return waitingBytes >= READ_AHEAD_BYTES || !ctx.channel().isWritable() || inputShutdown;
    }

    /** Starts the write timeout's watch while replies wait to be written; it ends when they are. */
    private void watchWrites(ChannelOutboundBuffer out) {
        long timeout = ledger.writeTimeoutNanos();
        if (timeout == 0 || writeTimer != null || closing || out == null || out.totalPendingWriteBytes() == 0) {
            return;
        }
        seeWrites(out);
        writeTimer = ctx.executor().schedule(this::writeTimerFired, timeout, TimeUnit.NANOSECONDS);
    }

    private void seeWrites(ChannelOutboundBuffer out) {
        writeSeenMessage = out.current();
        writeSeenProgress = out.currentProgress();
        writeSeenPending = out.totalPendingWriteBytes();
        writeSeenAt = System.nanoTime();
    }

    /** As Netty's IdleStateHandler with observeOutput judges progress, without a promise per write. */
    private void writeTimerFired() {
        writeTimer = null;
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (closing || out == null || out.totalPendingWriteBytes() == 0) {
            return;
        }
        boolean moved = out.current() != writeSeenMessage || out.currentProgress() != writeSeenProgress
                || out.totalPendingWriteBytes() != writeSeenPending;
        if (!moved && ledger.writeStalled(writeSeenAt, System.nanoTime())) {
            log.debug("closing {}: its reply made no progress for {} ms", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(ledger.writeTimeoutNanos()));
            closing = true;
            ctx.channel().config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0); // a reset, as the ledger says
            ctx.close();
            return;
        }
        if (moved) {
            seeWrites(out);
        }
        writeTimer = ctx.executor().schedule(this::writeTimerFired, ledger.writeTimeoutNanos() - (System.nanoTime() - writeSeenAt),
                TimeUnit.NANOSECONDS);
    }

    private void cancelTimers() {
        if (requestTimer != null) {
            requestTimer.cancel(false);
            requestTimer = null;
        }
        if (writeTimer != null) {
            writeTimer.cancel(false);
            writeTimer = null;
        }
    }

    /** The one place a request stops counting as in flight: replied, or its connection gone. */
    private void finishRequest() {
        if (ledger != null) {
            ledger.finished();
        }
    }

    /** Asks for more input unless the connection is closing or enough requests already wait. */
    private void readIfRoom() {
        if (!closing && !inputShutdown && waitingBytes < READ_AHEAD_BYTES) {
            ctx.read();
        }
    }

    /** A SLEEP or DATA reply is complete: serve what waited behind it. */
    private void done() {
        busy = false;
        finishRequest();
        serve();
        ctx.flush();
        readIfRoom();
        account();
    }

    /**
     * Reports what this connection holds: its partial request, requests waiting, replies not yet written, but not the
     * shared read-only buffers among them (the DATA pattern's slices, constant replies): those cost nothing per client.
     */
    private void account() {
        if (ledger == null || ledger.closed()) {
            return;
        }
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        long pending = out == null ? 0 : out.totalPendingWriteBytes();
        if (pending > 0) {
            pending = Math.max(0, pending - sharedBytes(out));
            watchWrites(out);
        }
        ledger.holding(decoder.heldBytes() + waitingBytes + pending);
    }

    private static long sharedBytes(ChannelOutboundBuffer out) {
        long[] shared = {0};
        try {
            out.forEachFlushedMessage(message -> {
                if (message instanceof io.netty.buffer.ByteBuf buf && buf.isReadOnly()) {
                    shared[0] += buf.readableBytes();
                }
                return true;
            });
        } catch (Exception e) {
            throw new IllegalStateException("counting what the outbound buffer shares", e); // the processor throws nothing
        }
        return shared[0];
    }

    private static long sizeOf(Object message) {
        if (message instanceof List<?> request) {
            long bytes = REQUEST_OVERHEAD_BYTES;
            for (Object arg : request) {
                bytes += ((byte[]) arg).length + 16;
            }
            return bytes;
        }
        return REQUEST_OVERHEAD_BYTES;
    }
}
