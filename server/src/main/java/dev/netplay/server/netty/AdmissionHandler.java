package dev.netplay.server.netty;

import dev.netplay.common.protocol.ServerStats;
import dev.netplay.common.resp.Resp;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Admits a connection while the server is under its connection limit and counts it until it closes; beyond the
 * limit, replies Redis's error and closes, and the handlers after this one never see the connection become active.
 */
final class AdmissionHandler extends ChannelInboundHandlerAdapter {
    private final ServerStats stats;
    private final int maxConnections;
    private boolean admitted;

    AdmissionHandler(ServerStats stats, int maxConnections) {
        this.stats = stats;
        this.maxConnections = maxConnections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        admitted = stats.tryConnect(maxConnections);
        if (!admitted) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(Resp.error(Resp.MAX_CLIENTS_REACHED))).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ctx.fireChannelInactive(); // the handlers after this one settle the connection's requests first
        if (admitted) {
            admitted = false;
            stats.disconnected();
        }
    }
}
