package dev.netplay.server.netty;

import dev.netplay.server.core.ServerGuards;
import dev.netplay.server.core.ServerStats;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Admits a connection as {@link ServerStats#admit} says (protected mode, the connection limit); else writes its error
 * and closes,
 * and the handlers after this one never see the connection become active. An admitted connection's end is counted by
 * its {@link dev.netplay.server.core.ConnectionLedger} (in {@link RespServerHandler}), as in every model.
 */
final class AdmissionHandler extends ChannelInboundHandlerAdapter {
    private final ServerStats stats;
    private final ServerGuards guards;
    private final int maxConnections;

    AdmissionHandler(ServerStats stats, ServerGuards guards, int maxConnections) {
        this.stats = stats;
        this.guards = guards;
        this.maxConnections = maxConnections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        byte[] refusal = stats.admit(ctx.channel().remoteAddress(), guards, maxConnections);
        if (refusal != null) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(refusal)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }
}
