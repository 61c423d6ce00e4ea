package dev.netplay.client.load.connect;

import dev.netplay.client.load.plan.Password;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.netty.util.ReferenceCountUtil;

/**
 * A load connection's login, before its load: sends AUTH once connected and holds back the connection's activation
 * until the reply; {@code +OK} hands the connection to {@link LoadConnection}, anything else counts as an error from
 * the server and closes it (a wrong password fails every connection alike, and the level's note says why).
 */
final class AuthHandshake extends ChannelInboundHandlerAdapter {
    private final ConnectionKeeper keeper;
    private final Password password;

    AuthHandshake(ConnectionKeeper keeper, Password password) {
        this.keeper = keeper;
        this.password = password;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(password.authCommand()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof SimpleStringRedisMessage ok && "OK".equals(ok.content())) {
                ctx.pipeline().remove(this);
                ctx.fireChannelActive();
                return;
            }
            String reply = msg instanceof ErrorRedisMessage e ? "-" + e.content() : String.valueOf(msg);
            keeper.counters().connectServerError.increment();
            keeper.noteConnectionError(new java.io.IOException("the server did not take the password ("
                    + password.source() + "): " + reply));
            ctx.close();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
