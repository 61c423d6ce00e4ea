package dev.netplay.server.netty;

import dev.netplay.common.protocol.Requests;
import dev.netplay.server.core.ClientMemory;
import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.server.core.ConnectionLedger;
import dev.netplay.server.core.ServerStats;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

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
 * are served before the loop does its other work, and the channel is checked to be active before each. The request
 * and write timeouts are {@link GuardTimers}'.
 */
final class RespServerHandler extends ChannelInboundHandlerAdapter implements ClientMemory.Client, GuardTimers.Watched {
    private static final Logger log = LoggerFactory.getLogger(RespServerHandler.class);
    static final int READ_AHEAD_BYTES = 64 * 1024; // 64 KiB of requests waiting, beyond which it stops reading
    static final int MAX_REQUESTS_PER_TURN = 128; // pipelined requests served before the loop turns to the others

    private final CommandDispatcher dispatcher;
    private final ServerStats stats;
    private final ActionRunner.Options actions;
    /** The request and write timeouts' timers, made when first armed: a connection that only waits costs none. */
    private GuardTimers timers;
    /** The rest of a turn's requests is scheduled for the loop's next turn. */
    private boolean turnScheduled;
    /** Requests decoded and not yet served. */
    private final WaitingRequests waiting = new WaitingRequests();
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

    RespServerHandler(CommandDispatcher dispatcher, ServerStats stats, ActionRunner.Options actions) {
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.actions = actions;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.decoder = ctx.pipeline().get(RespRequestDecoder.class);
        this.runner = new ActionRunner(ctx, stats, actions, this::done);
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
        serve();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        readIfRoom();
        account();
        if (timers != null || decoder.partial()) {
            guardTimers().watchRequest();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            serveAndRead(); // the replies drained: serve what waited, and read again
        } else {
            account();
        }
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
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionFailure.close(ctx, cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        if (runner != null) {
            runner.cancel();
        }
        if (timers != null) {
            timers.cancel();
        }
        finishRequest();
        stats.requestsDropped(waiting.drain(request -> { })); // requests its client will never read the replies of
        if (ledger != null) {
            ledger.close(); // after the requests above are settled: then the connection's end is counted
        }
        ctx.fireChannelInactive();
    }

    /** Over the server-wide budget: the reply if it fits the socket now, then close, dropping replies not yet sent. */
    @Override
    public void evict(byte[] reply) {
        ChannelHandlerContext c = ctx;
        c.executor().execute(() -> {
            if (c.channel().isActive()) {
                closing = true;
                c.writeAndFlush(Unpooled.wrappedBuffer(reply)); // what the socket takes now: a client that
                c.close(); // holds too much may read nothing, so the close does not wait for the write
            }
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
            serveAndRead();
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
        if (timers != null) {
            timers.cancel();
        }
        if (ledger.inFlight() && runner.cancel()) {
            ctx.write(ledger.refused(), ctx.voidPromise());
        }
        finishRequest();
        busy = false;
        waiting.drain(request -> ctx.write(ledger.refused(), ctx.voidPromise()));
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private GuardTimers guardTimers() {
        return timers != null ? timers : (timers = new GuardTimers(ctx.executor(), ledger, decoder, this));
    }

    /** This server does not read the connection now: enough requests wait, or its replies wait for the client. */
    @Override
    public boolean heldBack() {
        return waiting.bytes() >= READ_AHEAD_BYTES || !ctx.channel().isWritable() || inputShutdown;
    }

    @Override
    public boolean closing() {
        return closing;
    }

    @Override
    public void requestTimedOut(byte[] reply) {
        decoder.fail(); // nothing after it is decoded: the error is the last reply, after those before it
        waiting.add(new RespRequestDecoder.ProtocolFailure(reply));
        serve();
        ctx.flush();
    }

    @Override
    public void writeStalled() {
        closing = true;
        ctx.channel().config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0); // a reset, as the ledger says
        ctx.close();
    }

    /** The one place a request stops counting as in flight: replied, or its connection gone. */
    private void finishRequest() {
        if (ledger != null) {
            ledger.finished();
        }
    }

    /** Asks for more input unless the connection is closing or enough requests already wait. */
    private void readIfRoom() {
        if (!closing && !inputShutdown && waiting.bytes() < READ_AHEAD_BYTES) {
            ctx.read();
        }
    }

    /** A SLEEP or DATA reply is complete: serve what waited behind it. */
    private void done() {
        busy = false;
        finishRequest();
        serveAndRead();
    }

    /** Serves what waits, writes the replies, reads again if there is room, and accounts for what is held. */
    private void serveAndRead() {
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
            pending = Math.max(0, pending - SharedReplies.sharedBytes(out));
            guardTimers().watchWrites(out);
        }
        ledger.holding(decoder.heldBytes() + waiting.bytes() + pending);
    }
}
