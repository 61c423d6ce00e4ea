package dev.netplay.server.netty;

import dev.netplay.server.backend.BackendSettings;
import dev.netplay.server.threads.BlockingBackend;
import dev.netplay.server.core.ThreadMode;

import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.server.core.ServerSettings;
import dev.netplay.server.core.ClientMemory;
import dev.netplay.server.core.ServerGuards;
import dev.netplay.server.core.ServerStats;
import dev.netplay.server.core.GracePeriod;
import dev.netplay.server.core.Server;
import dev.netplay.server.threads.BlockingServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The event-loop server: a few threads serve every connection; SLEEP is a timer, not a blocked thread. */
public final class NettyServer implements Server {
    /** Pending connections the kernel queues before accept; high so that a fast ramp is not refused. */
    private static final int ACCEPT_BACKLOG = 4096;
    private static final long OFFLOAD_EXIT_WAIT_SECONDS = 2;
    /**
     * Requests that may wait for the offload threads, per thread: with 64 threads and SLEEP 1000, 4,096 waiting is
     * a minute of backlog. Beyond it a request gets {@code -ERR offload queue full}. Each connection has at most
     * one request there (it serves one at a time).
     */
    public static final int DEFAULT_OFFLOAD_QUEUE_PER_THREAD = 64;

    private final InetSocketAddress bindAddress;
    private final Transport transport;
    private final int ioThreads;
    private final boolean blockingSleep;
    private final Duration idleTimeout;
    private ServerSettings settings;
    private final ServerStats stats;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private EventLoopGroup group;
    /** Accepts on a thread of its own, so that a worker loop that is busy never delays a new connection. */
    private EventLoopGroup bossGroup;
    private int offloadQueueBound;
    private Channel serverChannel;
    private int offloadThreads;
    private ExecutorService offload;
    /** Blocking code runs on a new virtual thread per request (netty-vthreads), not on a fixed pool. */
    private boolean offloadVirtual;
    private EventLoopBackend loopBackend;
    private BlockingBackend blockingBackend;

    public NettyServer(InetSocketAddress bindAddress, Transport transport, int ioThreads, boolean blockingSleep,
                       int maxConnections) {
        this(bindAddress, transport, ioThreads, blockingSleep, maxConnections, Duration.ZERO);
    }

    /** With {@code idleTimeout} (0: never) after which a connection with no request pending is closed. */
    public NettyServer(InetSocketAddress bindAddress, Transport transport, int ioThreads, boolean blockingSleep,
                       int maxConnections, Duration idleTimeout) {
        this(bindAddress, transport, ioThreads, blockingSleep, maxConnections, idleTimeout, ClientMemory.defaultLimitBytes());
    }

    /** With the budget for what all clients together may make it hold ({@link ClientMemory}). */
    public NettyServer(InetSocketAddress bindAddress, Transport transport, int ioThreads, boolean blockingSleep,
                       int maxConnections, Duration idleTimeout, long clientMemoryLimitBytes) {
        this.stats = new ServerStats(clientMemoryLimitBytes);
        this.idleTimeout = idleTimeout;
        this.bindAddress = bindAddress;
        this.transport = transport.resolve();
        this.ioThreads = ioThreads;
        this.blockingSleep = blockingSleep;
        this.settings = new ServerSettings("netty", this.transport.infoName(), ioThreads, 0,
                blockingSleep ? ServerSettings.SLEEP_BLOCKING : ServerSettings.SLEEP_TIMER, maxConnections);
    }

    /**
     * Runs blocking SLEEPs ({@code blockingSleep}) and WORK on an executor of this many threads instead of the event
     * loop (0: none, the default); set before {@link #start()}.
     */
    public NettyServer offload(int threads) {
        return offload(threads, threads * DEFAULT_OFFLOAD_QUEUE_PER_THREAD);
    }

    /** As {@link #offload(int)}, with at most {@code queueBound} requests waiting for a thread. */
    public NettyServer offload(int threads, int queueBound) {
        this.offloadThreads = threads;
        this.offloadQueueBound = queueBound;
        this.settings = new ServerSettings(settings.model(), settings.transport(), settings.ioThreads(), threads,
                blockingSleep && threads > 0 ? ServerSettings.SLEEP_OFFLOADED : settings.sleepMode(), settings.maxConnections(),
                settings.guards(), settings.backend());
        return this;
    }

    /**
     * Runs blocking SLEEPs ({@code blockingSleep}), WORK and backend calls on a new virtual thread per request, the
     * event loops doing the I/O (as Quarkus's and Helidon's virtual-thread modes do); Java 21+. Set before
     * {@link #start()}.
     */
    public NettyServer offloadVirtual() {
        String reason = ThreadMode.virtualThreadsUnavailableReason();
        if (reason != null) {
            throw new IllegalArgumentException("--offload virtual: " + reason);
        }
        this.offloadVirtual = true;
        this.offloadThreads = 0;
        this.settings = new ServerSettings(settings.model(), settings.transport(), settings.ioThreads(), 0,
                blockingSleep ? ServerSettings.SLEEP_OFFLOADED : settings.sleepMode(), settings.maxConnections(),
                settings.guards(), settings.backend());
        return this;
    }

    /**
     * The server FETCH and GATHER call: from the connection's own event loop, or, with {@code blockingSleep}, as
     * blocking code (on the offload threads where there are some); set before {@link #start()}.
     */
    public NettyServer backend(BackendSettings backend) {
        this.settings = settings.withBackend(blockingSleep ? backend : backend.withGather(BackendSettings.Gather.CONCURRENT));
        return this;
    }

    /** The time bounds and debug commands every connection obeys; set before {@link #start()}. */
    public NettyServer guards(ServerGuards guards) {
        this.settings = settings.withGuards(guards);
        return this;
    }

    @Override
    public void start() throws InterruptedException {
        if (group != null) {
            throw new IllegalStateException("start() already called");
        }
        offload = offloadVirtual ? ThreadMode.newVirtualThreadPerTaskExecutor()
                : offloadThreads == 0 ? null : new ThreadPoolExecutor(offloadThreads, offloadThreads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(Math.max(1, offloadQueueBound)), ThreadMode.namedThreads("netplay-offload-"));
        group = new MultiThreadIoEventLoopGroup(ioThreads, transport.ioHandlerFactory());
        bossGroup = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        CommandDispatcher dispatcher = new CommandDispatcher(settings, stats);
        Backends backends = Backends.NONE;
        if (settings.backend().configured() && blockingSleep) {
            blockingBackend = new BlockingBackend(settings.backend(), stats.backend(), offloadVirtual);
            backends = new Backends(null, blockingBackend);
        } else if (settings.backend().configured()) {
            loopBackend = new EventLoopBackend(settings.backend(), stats.backend(), transport, ioThreads);
            backends = new Backends(loopBackend, null);
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, group)
                .channelFactory(transport.serverChannelFactory(bindAddress))
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client that half-closes after its last request still gets every reply.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                // Each connection reads when its handler asks (ctx.read()): how it holds a client back.
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new RespChannelInitializer(dispatcher, stats, settings.maxConnections(), idleTimeout,
                        new ActionRunner.Options(blockingSleep, offload, offloadQueueBound, backends), connections::add));
        try {
            serverChannel = bootstrap.bind(bindAddress).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            bossGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The handler classes of one open connection's pipeline, in order (empty if none is open): what tests compare. */
    List<Class<?>> connectionPipeline() {
        for (Channel ch : connections) {
            return ch.pipeline().toMap().values().stream().<Class<?>>map(Object::getClass).toList();
        }
        return List.of();
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public ServerSettings settings() {
        return settings;
    }

    @Override
    public ServerStats stats() {
        return stats;
    }

    /** After the grace: every request still unanswered gets the stopping error, then its connection closes. */
    private void refuseRemaining() {
        List<io.netty.util.concurrent.Future<?>> refusals = new ArrayList<>();
        for (Channel ch : connections) {
            RespServerHandler handler = ch.pipeline().get(RespServerHandler.class);
            if (handler != null && ch.isActive()) {
                refusals.add(ch.eventLoop().submit(handler::refuseRemaining));
            }
        }
        refusals.forEach(f -> f.awaitUninterruptibly(GracePeriod.STOP_WRITE_WAIT.toMillis()));
        GracePeriod.awaitDisconnected(stats); // the errors leave, and each connection closes after its own
    }

    @Override
    public boolean stop(Duration grace) {
        if (group == null) {
            return true;
        }
        serverChannel.close().syncUninterruptibly();
        boolean drained = GracePeriod.await(stats, grace);
        refuseRemaining();
        connections.close().awaitUninterruptibly();
        if (blockingBackend != null) {
            blockingBackend.abortCalls();
            blockingBackend.close();
        }
        if (offload != null) {
            offload.shutdownNow(); // after the grace period: what still blocks there belongs to closed connections
            try {
                offload.awaitTermination(OFFLOAD_EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (loopBackend != null) {
            loopBackend.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        group = null;
        return drained;
    }
}
