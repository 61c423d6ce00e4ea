package dev.netplay.server.netty;

import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.server.core.ServerStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.stream.ChunkedWriteHandler;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The one pipeline of a netplay connection, as Netty's examples keep theirs in one initializer: the server, its
 * tests and the JMH benchmark all build it here, so what they measure and check is what the server runs.
 * Admission, then the idle rule, DATA streaming, reply gathering, request framing and the connection's handler.
 */
final class RespChannelInitializer extends ChannelInitializer<Channel> {
    private final CommandDispatcher dispatcher;
    private final ServerStats stats;
    private final int maxConnections;
    private final Duration idleTimeout;
    private final ActionRunner.Options actions;
    private final Consumer<Channel> onChannel;

    RespChannelInitializer(CommandDispatcher dispatcher, ServerStats stats, int maxConnections, Duration idleTimeout,
                           ActionRunner.Options actions, Consumer<Channel> onChannel) {
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.maxConnections = maxConnections;
        this.idleTimeout = idleTimeout;
        this.actions = actions;
        this.onChannel = onChannel;
    }

    /** The default server's pipeline (timers, no offload, no limit worth reaching), for an {@code EmbeddedChannel}. */
    static RespChannelInitializer embedded(CommandDispatcher dispatcher, ServerStats stats, Duration idleTimeout) {
        return new RespChannelInitializer(dispatcher, stats, Integer.MAX_VALUE, idleTimeout, ActionRunner.Options.TIMERS,
                ch -> { });
    }

    @Override
    protected void initChannel(Channel ch) {
        onChannel.accept(ch);
        ch.pipeline().addLast(new AdmissionHandler(stats, dispatcher.settings().guards(), maxConnections));
        if (!idleTimeout.isZero()) {
            ch.pipeline().addLast(new IdleWatch(idleTimeout));
        }
        ch.pipeline().addLast(new ReplyCoalescer(), new RespRequestDecoder(),
                new RespServerHandler(dispatcher, stats, actions));
    }

    /**
     * DATA's chunks stream through a {@code ChunkedWriteHandler}, put in at a connection's first DATA, between the
     * coalescer and the socket: it queues every write and polls its queue at every flush, a cost each PING paid
     * while it sat in every pipeline.
     */
    static void streamChunks(ChannelPipeline pipeline) {
        if (pipeline.get(ChunkedWriteHandler.class) == null) {
            pipeline.addBefore(pipeline.context(ReplyCoalescer.class).name(), null, new ChunkedWriteHandler());
        }
    }
}
