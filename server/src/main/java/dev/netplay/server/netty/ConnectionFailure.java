package dev.netplay.server.netty;

import dev.netplay.server.core.Fatal;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * What a connection's failure does: it closes that connection. An I/O error (a reset) is the client's business and
 * logged at debug; anything else is a bug, logged with its stack trace; a fatal error ends the server.
 */
final class ConnectionFailure {
    private static final Logger log = LoggerFactory.getLogger(RespServerHandler.class);

    private ConnectionFailure() {
    }

    static void close(ChannelHandlerContext ctx, Throwable cause) {
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
}
