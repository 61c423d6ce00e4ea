package dev.netplay.server.nio;

import dev.netplay.common.protocol.CommandDispatcher;
import dev.netplay.common.protocol.ServerSettings;
import dev.netplay.common.protocol.ServerStats;
import dev.netplay.common.resp.Resp;
import dev.netplay.server.GracePeriod;
import dev.netplay.server.Server;
import dev.netplay.server.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * An event loop with nothing but {@code java.nio}: one thread, one {@link Selector}, non-blocking channels, and SLEEP
 * as a deadline in a priority queue that the loop checks each time round: the closest Java twin of asyncio's
 * default (selector) event loop, and what Netty does, with much more care, underneath. One connection is
 * {@link SelectorConnection}.
 *
 * <p>Each turn of the loop: wait in {@code select} until a channel is ready or the next SLEEP is due; accept, read
 * and write what is ready; resume the SLEEPs that are due; run what other threads asked for (an eviction, the stop).
 */
public final class SelectorServer implements Server {
    private static final Logger log = LoggerFactory.getLogger(SelectorServer.class);
    /** How often idle connections are looked for, at most. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long LOOP_EXIT_WAIT_MILLIS = 5_000;
    private static final int ACCEPT_BACKLOG = 4096;

    /** A SLEEP's deadline, and the connection to resume then. */
    record Timer(long deadlineNanos, SelectorConnection connection) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            return Long.compare(deadlineNanos, other.deadlineNanos);
        }
    }

    private final ServerConfig config;
    private final ServerSettings settings;
    private final ServerStats stats;
    private final CommandDispatcher dispatcher;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Set<SelectorConnection> connections = new HashSet<>();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** One read buffer for the loop: a connection's bytes are parsed at once, what is left over is kept by it. */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private Selector selector;
    private ServerSocketChannel serverChannel;
    private Thread loop;
    private volatile boolean running;
    private long nextIdleCheck;

    public SelectorServer(ServerConfig config) {
        this.config = config;
        this.stats = new ServerStats(config.maxClientMemoryBytes());
        this.settings = new ServerSettings("nio", "nio", 1, 0, ServerSettings.SLEEP_TIMER, config.maxConnections());
        this.dispatcher = new CommandDispatcher(settings, stats);
    }

    @Override
    public void start() throws IOException {
        if (selector != null) {
            throw new IllegalStateException("start() already called");
        }
        selector = Selector.open();
        serverChannel = ServerSocketChannel.open();
        serverChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        serverChannel.bind(config.address(), ACCEPT_BACKLOG);
        serverChannel.configureBlocking(false);
        serverChannel.register(selector, SelectionKey.OP_ACCEPT);
        running = true;
        loop = new Thread(this::run, "netplay-nio-loop");
        loop.start();
    }

    private void run() {
        try {
            while (running) {
                selector.select(this::ready, millisToNextTimer());
                resumeDueSleeps();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                closeIdle();
            }
        } catch (IOException e) {
            log.warn("the event loop failed: {}", e.toString());
        } finally {
            new ArrayList<>(connections).forEach(SelectorConnection::close);
            closeQuietly();
        }
    }

    /** 0 (wait for I/O only) when no SLEEP is pending; else until the earliest is due, at least 1 ms. */
    private long millisToNextTimer() {
        Timer next = timers.peek();
        long idle = config.idleTimeout().isZero() ? 0 : TimeUnit.NANOSECONDS.toMillis(IDLE_CHECK_NANOS);
        if (next == null) {
            return idle;
        }
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(next.deadlineNanos() - System.nanoTime()) + 1);
        return idle == 0 ? millis : Math.min(millis, idle);
    }

    private void ready(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            accept();
            return;
        }
        SelectorConnection connection = (SelectorConnection) key.attachment();
        if (key.isReadable()) {
            connection.onReadable();
        }
        if (key.isValid() && key.isWritable()) {
            connection.onWritable();
        }
    }

    private void accept() {
        SocketChannel channel;
        try {
            channel = serverChannel.accept();
        } catch (IOException e) {
            log.debug("accept failed: {}", e.toString()); // typically out of file descriptors: try again next turn
            return;
        }
        if (channel == null) {
            return;
        }
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (!stats.tryConnect(settings.maxConnections())) {
                channel.write(ByteBuffer.wrap(Resp.error(Resp.MAX_CLIENTS_REACHED))); // fits an empty socket buffer
                channel.close();
                return;
            }
            SelectorConnection connection = new SelectorConnection(this, channel, stats, dispatcher);
            connection.register(selector);
            connections.add(connection);
        } catch (IOException e) {
            log.debug("could not admit a connection: {}", e.toString());
        }
    }

    /** Called by a connection's SLEEP: resume it at {@code deadlineNanos}. */
    void schedule(long deadlineNanos, SelectorConnection connection) {
        timers.add(new Timer(deadlineNanos, connection));
    }

    private void resumeDueSleeps() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().deadlineNanos() <= now) {
            Timer due = timers.poll();
            due.connection().sleepDone(due.deadlineNanos());
        }
    }

    private void closeIdle() {
        long now = System.nanoTime();
        if (config.idleTimeout().isZero() || now < nextIdleCheck) {
            return;
        }
        nextIdleCheck = now + IDLE_CHECK_NANOS;
        long limit = config.idleTimeout().toNanos();
        for (SelectorConnection c : new ArrayList<>(connections)) {
            if (c.idleFor(now) > limit) {
                log.debug("closing idle connection {}", c);
                c.close();
            }
        }
    }

    /** Runs {@code task} on the loop thread, soon: how other threads act on connections. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    void closed(SelectorConnection connection) {
        connections.remove(connection);
    }

    @Override
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) serverChannel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the server socket is closed", e);
        }
    }

    @Override
    public ServerSettings settings() {
        return settings;
    }

    @Override
    public ServerStats stats() {
        return stats;
    }

    @Override
    public boolean stop(Duration grace) {
        if (loop == null || !running) {
            return true;
        }
        execute(() -> {
            try {
                serverChannel.close(); // stop accepting; the loop goes on serving what is in flight
            } catch (IOException e) {
                log.debug("closing the server socket: {}", e.toString());
            }
        });
        boolean drained = GracePeriod.await(stats, grace);
        execute(() -> running = false);
        try {
            loop.join(LOOP_EXIT_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return drained;
    }

    private void closeQuietly() {
        try {
            serverChannel.close();
            selector.close();
        } catch (IOException e) {
            log.debug("closing the selector: {}", e.toString());
        }
    }
}
