package dev.netplay.server.netty;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.Locale;

/** The I/O mechanism under the event loops. */
public enum Transport {
    /** epoll where available, else nio. */
    AUTO,
    NIO,
    EPOLL,
    IO_URING;

    /** The concrete transport to use; an unavailable explicit choice fails with the reason. */
    public Transport resolve() {
        return switch (this) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO;
            case NIO -> this;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalArgumentException("transport epoll is not available here: " + Epoll.unavailabilityCause());
                }
                yield this;
            }
            case IO_URING -> {
                if (!IoUring.isAvailable()) {
                    throw new IllegalArgumentException("transport io_uring is not available here: "
                            + IoUring.unavailabilityCause());
                }
                yield this;
            }
        };
    }

    /** Null where this transport can run here, else why not. */
    public String unavailableReason() {
        try {
            resolve();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The event loops' I/O handler: servers and the load client choose the transport the same way. */
    public IoHandlerFactory ioHandlerFactory() {
        return switch (resolve()) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
            case AUTO -> throw new IllegalStateException("resolve() never gives AUTO");
        };
    }

    /** The client socket channel of this transport, for the load client. */
    public Class<? extends Channel> socketChannelClass() {
        return switch (resolve()) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            case NIO -> NioSocketChannel.class;
            case AUTO -> throw new IllegalStateException("resolve() never gives AUTO");
        };
    }

    Class<? extends ServerChannel> serverChannelClass() {
        return switch (resolve()) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
            case AUTO -> throw new IllegalStateException("resolve() never gives AUTO");
        };
    }

    /**
     * Makes the listening channel. An IPv4 address gets an IPv4 socket on epoll (as redis-server binds one), not
     * Netty's default dual-stack IPv6 socket: its connections then take the kernel's IPv4 paths (a profile showed
     * inet6_recvmsg on every read of the PING path).
     */
    io.netty.channel.ChannelFactory<ServerChannel> serverChannelFactory(java.net.InetSocketAddress bind) {
        if (resolve() == EPOLL && bind.getAddress() instanceof java.net.Inet4Address) {
            return () -> new EpollServerSocketChannel(io.netty.channel.socket.SocketProtocolFamily.INET);
        }
        Class<? extends ServerChannel> type = serverChannelClass();
        return new io.netty.channel.ReflectiveChannelFactory<>(type)::newChannel;
    }

    /** The name INFO reports: {@code nio}, {@code epoll} or {@code io_uring}. */
    public String infoName() {
        return resolve().name().toLowerCase(Locale.ROOT);
    }
}
