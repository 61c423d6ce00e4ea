package dev.netplay.server.netty;

import dev.netplay.common.protocol.ClientMemory;
import dev.netplay.common.protocol.CommandDispatcher;
import dev.netplay.common.protocol.ServerStats;
import dev.netplay.common.protocol.Session;
import dev.netplay.server.Fatal;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Serves one connection's requests, one at a time and in order, as {@link RespRequestDecoder} frames them; each
 * request's action is carried out by an {@link ActionRunner}. Replies are flushed once per read burst.
 *
 * <p>The channel reads only when asked ({@code AUTO_READ} off, {@code ctx.read()} here): while a request waits
 * (a timer, a reply the client has not read) the connection keeps reading, so a client's close or reset is seen at
 * once and its timer cancelled, but only until {@link #READ_AHEAD_BYTES} of requests wait: a client that pipelines
 * without reading its replies is held back by its own socket, as a blocked thread would hold it.
 */
final class RespServerHandler extends ChannelInboundHandlerAdapter implements ClientMemory.Client {
    private static final Logger log = LoggerFactory.getLogger(RespServerHandler.class);
    /** Requests received but not yet served, beyond which the connection stops reading. */
    static final int READ_AHEAD_BYTES = 64 * 1024; // 64 KiB
    /** What a waiting request costs beyond its arguments' bytes: the list and the arrays' headers. */
    private static final int REQUEST_OVERHEAD_BYTES = 64;

    private final CommandDispatcher dispatcher;
    private final ServerStats stats;
    private final boolean blockingSleep;
    /** Where blocking SLEEPs and WORK run, off the event loop; null: on it. */
    private final Executor offload;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private long waitingBytes;
    private ChannelHandlerContext ctx;
    private RespRequestDecoder decoder;
    private Session session;
    private ClientMemory.Usage memory;
    private ActionRunner runner;
    /** A request is being served: a SLEEP timer, a DATA stream or offloaded work is pending. */
    private boolean busy;
    private boolean inFlight;
    private boolean closing;
    /** The client shut its sending side (as {@code nc -N} does): answer what it sent, then close. */
    private boolean inputShutdown;

    RespServerHandler(CommandDispatcher dispatcher, ServerStats stats, boolean blockingSleep, Executor offload) {
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.blockingSleep = blockingSleep;
        this.offload = offload;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.decoder = ctx.pipeline().get(RespRequestDecoder.class);
        this.runner = new ActionRunner(ctx, stats, blockingSleep, offload, this::done);
        session = stats.newSession();
        memory = stats.clientMemory().register(this);
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
        } else if (evt instanceof IdleStateEvent && !busy && waiting.isEmpty()) {
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
        finishRequest();
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        waitingBytes = 0;
        if (memory != null) {
            stats.clientMemory().unregister(memory);
            memory = null;
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
        while (!busy && !closing && !waiting.isEmpty() && ctx.channel().isWritable()) {
            Object next = waiting.poll();
            waitingBytes -= sizeOf(next);
            if (next instanceof RespRequestDecoder.ProtocolFailure failure) {
                closing = true;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(failure.reply())).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            @SuppressWarnings("unchecked")
            List<byte[]> request = (List<byte[]>) next;
            stats.requestStarted();
            inFlight = true;
            switch (dispatcher.dispatch(session, request).accept(runner)) {
                case REPLIED -> finishRequest();
                case PENDING -> busy = true;
                case CLOSING -> {
                    closing = true;
                    finishRequest();
                }
            }
        }
        if (inputShutdown && !busy && !closing && waiting.isEmpty()) {
            closing = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The one place a request stops counting as in flight: replied, or its connection gone. */
    private void finishRequest() {
        if (inFlight) {
            inFlight = false;
            stats.requestFinished();
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

    /** Reports what this connection holds: its partial request, requests waiting, replies not yet written. */
    private void account() {
        if (memory == null) {
            return;
        }
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        long held = decoder.heldBytes() + waitingBytes + (out == null ? 0 : out.totalPendingWriteBytes());
        stats.clientMemory().update(memory, held);
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
