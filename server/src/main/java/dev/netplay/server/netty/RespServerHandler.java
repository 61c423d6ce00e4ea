package dev.netplay.server.netty;

import dev.netplay.common.protocol.Action;
import dev.netplay.common.protocol.ClientMemory;
import dev.netplay.common.protocol.CommandDispatcher;
import dev.netplay.common.protocol.DataPattern;
import dev.netplay.common.protocol.ServerStats;
import dev.netplay.common.protocol.Session;
import dev.netplay.common.resp.ProtocolException;
import dev.netplay.common.resp.RequestParser;
import dev.netplay.common.resp.Resp;
import dev.netplay.server.Fatal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.FastThreadLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One connection of the event-loop server. Requests are served one at a time: while a SLEEP timer or a DATA
 * stream is pending, the connection stops reading, so a pipelining client cannot make it buffer without bound.
 * Replies are written per request and flushed once per read burst.
 */
final class RespServerHandler extends ChannelInboundHandlerAdapter implements ClientMemory.Client {
    private static final Logger log = LoggerFactory.getLogger(RespServerHandler.class);
    /** Copy space for direct buffers, one per event loop thread: the parser reads arrays. */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[16 * 1024]; // 16 KiB
        }
    };

    private final CommandDispatcher dispatcher;
    private final ServerStats stats;
    private final int maxConnections;
    private final boolean blockingSleep;
    private final RequestParser parser = new RequestParser();
    private Session session;
    private ByteBuf input;
    private boolean admitted;
    /** A SLEEP or DATA reply is pending; later requests wait. */
    private boolean busy;
    private boolean closing;
    /** The client shut down its sending side (as {@code nc -N} does): answer what it sent, then close. */
    private boolean inputShutdown;
    private long dataRemaining;
    private long dataWritten;
    private boolean streaming;
    /** Inside {@link #serveInput}: a flush there may report writability again, and must not start a second loop. */
    private boolean serving;
    private ChannelHandlerContext context;
    private ClientMemory.Usage memory;

    RespServerHandler(CommandDispatcher dispatcher, ServerStats stats, int maxConnections, boolean blockingSleep) {
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.maxConnections = maxConnections;
        this.blockingSleep = blockingSleep;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        context = ctx;
        admitted = stats.tryConnect(maxConnections);
        if (admitted) {
            session = stats.newSession();
            memory = stats.clientMemory().register(this);
        } else {
            closing = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(Resp.error(Resp.MAX_CLIENTS_REACHED)))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted) {
            admitted = false;
            stats.clientMemory().unregister(memory);
            stats.disconnected();
        }
        if (dataRemaining > 0) {
            dataRemaining = 0;
            stats.requestFinished();
        }
        releaseInput();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (closing) {
            in.release();
            return;
        }
        input = input == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), input, in);
        serveInput(ctx);
        accountMemory(ctx);
    }

    /** Over the server-wide budget: the reply if it fits the socket now, then close, dropping replies not yet sent. */
    @Override
    public void evict(byte[] reply) {
        ChannelHandlerContext ctx = context;
        ctx.executor().execute(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            closing = true;
            releaseInput();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
            ctx.close();
        });
    }

    /** Reports what this connection holds: the partial request, unparsed input, replies not yet written. */
    private void accountMemory(ChannelHandlerContext ctx) {
        if (memory == null) {
            return;
        }
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        long held = parser.heldBytes() + (input == null ? 0 : input.capacity()) + (out == null ? 0 : out.totalPendingWriteBytes());
        stats.clientMemory().update(memory, held);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && (dataRemaining == 0 || streamData(ctx))) {
            serveInput(ctx); // the replies drained: serve what waited, and read again
            ctx.flush();
        }
        accountMemory(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            serveInput(ctx);
        } else if (evt instanceof IdleStateEvent && !busy) {
            log.debug("closing idle connection {}", ctx.channel().remoteAddress());
            closing = true;
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
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

    /**
     * Serves complete requests from the input until one must wait, the input runs out, or the replies pile up past
     * the write-buffer high watermark: then the replies are flushed, and reading stops until they drain (an event
     * loop has no blocked write to hold a client back: its backpressure must be built).
     */
    private void serveInput(ChannelHandlerContext ctx) {
        if (serving) {
            return; // re-entered from a flush below (writability changed): the loop below looks again
        }
        serving = true;
        try {
            serveUntilBlocked(ctx);
        } finally {
            serving = false;
        }
        if (input != null && !input.isReadable()) {
            releaseInput();
        }
        if (inputShutdown && !busy && !closing && input == null) {
            closing = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        boolean wantRead = !busy && !closing && !inputShutdown && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != wantRead) {
            ctx.channel().config().setAutoRead(wantRead);
        }
    }

    private void serveUntilBlocked(ChannelHandlerContext ctx) {
        while (true) {
            while (!busy && !closing && input != null && input.isReadable() && ctx.channel().isWritable()) {
                List<byte[]> request;
                try {
                    input.skipBytes(feed(input));
                    request = parser.poll();
                } catch (ProtocolException e) {
                    closing = true;
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(e.toReply())).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                if (request != null) {
                    execute(ctx, request);
                } // else: all fed bytes were consumed; the loop feeds the rest, if any
            }
            if (closing || ctx.channel().isWritable()) {
                return;
            }
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                return; // the socket is full: channelWritabilityChanged resumes once it drains
            }
        }
    }

    private int feed(ByteBuf buf) throws ProtocolException {
        if (buf.hasArray()) {
            return parser.feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
        }
        byte[] scratch = SCRATCH.get();
        int count = Math.min(scratch.length, buf.readableBytes());
        buf.getBytes(buf.readerIndex(), scratch, 0, count);
        return parser.feed(scratch, 0, count);
    }

    private void execute(ChannelHandlerContext ctx, List<byte[]> request) {
        stats.requestStarted();
        Action action = dispatcher.dispatch(session, request);
        if (action instanceof Action.Reply reply) {
            ctx.write(Unpooled.wrappedBuffer(reply.bytes()));
            stats.requestFinished();
        } else if (action instanceof Action.Sleep sleep) {
            sleep(ctx, sleep.millis());
        } else if (action instanceof Action.Data data) {
            busy = true;
            dataRemaining = data.length();
            dataWritten = 0;
            ctx.write(Unpooled.wrappedBuffer(Resp.bulkHeader(data.length())));
            streamData(ctx);
        } else if (action instanceof Action.Quit) {
            closing = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(Resp.OK)).addListener(ChannelFutureListener.CLOSE);
            stats.requestFinished();
        }
    }

    private void sleep(ChannelHandlerContext ctx, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        if (blockingSleep) {
            // The classic mistake, on purpose: every connection of this event loop waits too.
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stats.sleepResumed(deadline);
            ctx.write(Unpooled.wrappedBuffer(Resp.OK));
            stats.requestFinished();
            return;
        }
        busy = true;
        ctx.executor().schedule(() -> {
            stats.sleepResumed(deadline);
            busy = false;
            stats.requestFinished();
            if (ctx.channel().isActive()) {
                ctx.write(Unpooled.wrappedBuffer(Resp.OK));
                serveInput(ctx);
                ctx.flush();
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Writes DATA chunks while the channel is writable; {@link #channelWritabilityChanged} resumes it.
     *
     * @return true when the reply is complete and the next request may be served
     */
    private boolean streamData(ChannelHandlerContext ctx) {
        if (streaming) {
            return false; // a flush below changed writability; the loop already re-checks it
        }
        streaming = true;
        try {
            while (dataRemaining > 0 && ctx.channel().isWritable()) {
                int chunk = (int) Math.min(DataPattern.CHUNK_BYTES, dataRemaining);
                ctx.write(Unpooled.wrappedBuffer(DataPattern.array(), DataPattern.offsetFor(dataWritten), chunk));
                dataWritten += chunk;
                dataRemaining -= chunk;
                ctx.flush();
            }
        } finally {
            streaming = false;
        }
        if (dataRemaining > 0) {
            return false;
        }
        ctx.write(Unpooled.wrappedBuffer(Resp.CRLF));
        busy = false;
        stats.requestFinished();
        return true;
    }

    private void releaseInput() {
        if (input != null) {
            input.release();
            input = null;
        }
    }
}
