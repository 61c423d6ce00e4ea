package dev.netplay.server.netty;

import dev.netplay.common.protocol.ServerStats;
import dev.netplay.common.resp.Resp;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Admits a connection while the server is under its connection limit; beyond it, replies Redis's error and closes,
 * and the handlers after this one never see the connection become active. An admitted connection's end is counted by
 * its {@link dev.netplay.common.protocol.ConnectionLedger} (in {@link RespServerHandler}), as in every model.
 */
final class AdmissionHandler extends ChannelInboundHandlerAdapter {
    private final ServerStats stats;
    private final int maxConnections;

    AdmissionHandler(ServerStats stats, int maxConnections) {
        this.stats = stats;
        this.maxConnections = maxConnections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!stats.tryConnect(maxConnections)) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(Resp.error(Resp.MAX_CLIENTS_REACHED))).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }
}
