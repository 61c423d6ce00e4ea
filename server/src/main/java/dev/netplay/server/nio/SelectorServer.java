package dev.netplay.server.nio;

import dev.netplay.server.backend.BackendSettings;
import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.server.core.ConnectionLedger;
import dev.netplay.server.core.ServerSettings;
import dev.netplay.server.core.ServerStats;
import dev.netplay.server.core.GracePeriod;
import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An event loop with nothing but {@code java.nio}: one thread, one {@link Selector}, non-blocking channels, and SLEEP
 * as a deadline in a priority queue that the loop checks each time round: the closest Java twin of asyncio's
 * default (selector) event loop, and what Netty does, with much more care, underneath. One connection is
 * {@link SelectorConnection}.
 *
 * <p>Each turn of the loop: wait in {@code select} until a channel is ready or the next SLEEP is due; accept, read
 * and write what is ready; resume the SLEEPs that are due; run what other threads asked for (an eviction, the stop)
 * and what connections left for the next turn (WORK's next slice, the rest of a long pipeline). A failure in one
 * connection's handling (a bug) closes that connection, loudly, and the loop serves on.
 */
public final class SelectorServer implements Server {
    private static final Logger log = LoggerFactory.getLogger(SelectorServer.class);
    /** How often idle connections are looked for, at most. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long LOOP_EXIT_WAIT_MILLIS = 5_000;
    private static final int ACCEPT_BACKLOG = 4096;

    private final ServerConfig config;
    private final ServerSettings settings;
    private final ServerStats stats;
    private final CommandDispatcher dispatcher;
    private final Set<SelectorConnection> connections = new HashSet<>();
    /** SLEEPs' deadlines, other threads' tasks, and what connections left for the next turn. */
    private final LoopSchedule schedule = new LoopSchedule();
    private final ConnectionLedger.Dispatch dispatch;
    /** FETCH's and GATHER's calls, on this selector; null without a backend. */
    private final SelectorBackend backend;
    /** One read buffer for the loop: a connection's bytes are parsed at once, what is left over is kept by it. */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private Selector selector;
    private ServerSocketChannel serverChannel;
    private Thread loop;
    private volatile boolean running;
    private long nextIdleCheck;

    public SelectorServer(ServerConfig config) {
        this(config, null);
    }

    /** With {@code dispatch} in place of the dispatcher's own (null: the dispatcher's); tests inject a failure so. */
    SelectorServer(ServerConfig config, ConnectionLedger.Dispatch dispatch) {
        this.config = config;
        this.stats = new ServerStats(config.maxClientMemoryBytes());
        this.settings = new ServerSettings("nio", "nio", 1, 0, ServerSettings.SLEEP_TIMER, config.maxConnections())
                .withGuards(config.guards()).withBackend(config.backend().withGather(BackendSettings.Gather.CONCURRENT));
        this.backend = config.backend().configured() ? new SelectorBackend(this, settings.backend(), stats.backend()) : null;
        this.dispatcher = new CommandDispatcher(settings, stats);
        this.dispatch = dispatch != null ? dispatch : dispatcher::dispatch;
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
                selector.select(this::readySafely, millisToNextTimer());
                resumeDueSleeps();
                if (backend != null) {
                    runSafely(() -> backend.expire(System.nanoTime()), null);
                }
                schedule.runTasks(task -> runSafely(task, null));
                checkConnections();
            }
        } catch (IOException e) {
            log.warn("the event loop failed: {}", e.toString());
        } finally {
            new ArrayList<>(connections).forEach(SelectorConnection::close);
            closeQuietly();
        }
    }

    /** How long select may wait: until the next SLEEP or backend deadline, or the next periodic check. */
    private long millisToNextTimer() {
        if (schedule.hasNextTurn()) {
            selector.wakeup(); // select returns at once: the work left for this turn runs after the ready keys
        }
        boolean periodic = !config.idleTimeout().isZero() || !config.guards().requestTimeout().isZero()
                || !config.guards().writeTimeout().isZero();
        return schedule.waitMillis(backend == null ? Long.MAX_VALUE : backend.nextDeadline(),
                periodic ? TimeUnit.NANOSECONDS.toMillis(IDLE_CHECK_NANOS) : 0);
    }

    /** One ready key; a failure (a bug) closes that connection alone, with its stack trace in the log. */
    private void readySafely(SelectionKey key) {
        runSafely(() -> ready(key), key.attachment() instanceof SelectorConnection c ? c : null);
    }

    private void runSafely(Runnable step, SelectorConnection connection) {
        try {
            step.run();
        } catch (RuntimeException | StackOverflowError e) {
            log.error("closing {} after an unexpected error; the server goes on", connection == null ? "a connection" : connection, e);
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** Runs {@code task} on the loop's next turn, after its I/O: how a connection lets the others go first. */
    void nextTurn(Runnable task) {
        schedule.nextTurn(task);
    }

    private void ready(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            accept();
            return;
        }
        if (key.attachment() instanceof BackendChannel other) {
            other.ready(key);
            return;
        }
        SelectorConnection connection = (SelectorConnection) key.attachment();
        if (key.isReadable()) {
            connection.onReadable();
        }
        if (key.isValid() && key.isWritable()) {
            connection.writeOut();
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
            byte[] refusal = stats.admit(channel.getRemoteAddress(), settings.guards(), settings.maxConnections());
            if (refusal != null) {
                channel.write(ByteBuffer.wrap(refusal)); // fits an empty socket buffer
                channel.close();
                return;
            }
            SelectorConnection connection = new SelectorConnection(this, channel, stats, dispatch, settings.guards());
            connection.register(selector);
            connections.add(connection);
        } catch (IOException e) {
            log.debug("could not admit a connection: {}", e.toString());
        }
    }

    /** Called by a connection's SLEEP: resume it at {@code deadlineNanos}. */
    void schedule(long deadlineNanos, SelectorActions connection) {
        schedule.schedule(deadlineNanos, connection);
    }

    private void resumeDueSleeps() {
        schedule.dueSleeps(System.nanoTime(), due -> runSafely(() -> due.actions().sleepDone(due.deadlineNanos()), due.actions().connection()));
    }

    /** About once a second: idle connections closed, and the request and write timeouts checked. */
    private void checkConnections() {
        long now = System.nanoTime();
        if (now - nextIdleCheck < 0) {
            return;
        }
        nextIdleCheck = now + IDLE_CHECK_NANOS;
        long limit = config.idleTimeout().toNanos();
        for (SelectorConnection c : new ArrayList<>(connections)) {
            if (limit > 0 && c.idleFor(now) > limit) {
                log.debug("closing idle connection {}", c);
                c.close();
            } else {
                runSafely(() -> c.checkTimeouts(now), c);
            }
        }
    }

    /** Runs {@code task} on the loop thread, soon: how other threads act on connections. */
    void execute(Runnable task) {
        schedule.execute(task);
        selector.wakeup();
    }

    /** The loop's selector, for the backend's channels. */
    Selector selector() {
        return selector;
    }

    /** FETCH's and GATHER's calls; null without a backend (the dispatcher then answers them itself). */
    SelectorBackend backend() {
        return backend;
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
        execute(() -> new ArrayList<>(connections).forEach(c -> runSafely(c::refuseRemaining, c)));
        GracePeriod.awaitDisconnected(stats); // the stopping errors leave; each connection closes after its own
        execute(() -> {
            if (backend != null) {
                backend.close();
            }
            running = false;
        });
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
