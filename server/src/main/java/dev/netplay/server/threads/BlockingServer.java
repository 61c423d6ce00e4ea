package dev.netplay.server.threads;

import dev.netplay.server.core.ThreadMode;

import dev.netplay.server.backend.BackendSettings;

import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.server.core.ServerSettings;
import dev.netplay.server.core.ClientMemory;
import dev.netplay.server.core.ServerGuards;
import dev.netplay.server.core.ServerStats;
import dev.netplay.common.resp.Resp;
import dev.netplay.server.core.GracePeriod;
import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The classic server: one accept thread, and one thread per connection for the connection's whole life
 * (a new platform thread, a virtual thread, or a thread of a fixed pool).
 */
public final class BlockingServer implements Server {
    private static final Logger log = LoggerFactory.getLogger(BlockingServer.class);
    /** Pending connections the kernel queues before accept; high so that a fast ramp is not refused. */
    private static final int ACCEPT_BACKLOG = 4096;
    /** Pause after a failed accept (e.g. out of file descriptors), so the loop does not spin. */
    private static final long ACCEPT_BACKOFF_NANOS = 100_000_000; // 100 ms
    /** How long stop() waits for connection threads to end after their sockets are closed. */
    private static final long THREAD_EXIT_WAIT_MILLIS = 2_000;
    /** How often the watchdog looks for writes blocked past the write timeout. */
    private static final long WATCHDOG_PERIOD_MILLIS = 1_000;
    /** Default pool size, like a servlet container's maxThreads. */
    public static final int DEFAULT_POOL_SIZE = 200;

    private final InetSocketAddress bindAddress;
    private final ThreadFactory platformThreads;
    private ServerSettings settings;
    private final ServerStats stats;
    private CommandDispatcher dispatcher;
    private BlockingBackend backend;
    /** The connections' threads are virtual: so are GATHER's parallel calls'. */
    private final boolean virtualThreads;
    /** Ends writes blocked past the write timeout: a blocking write has no timeout of its own. */
    private ScheduledExecutorService watchdog;
    private final Set<ConnectionHandler> connections = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor;
    private ServerSocket serverSocket;
    private Thread acceptThread;
    private volatile boolean stopping;
    private volatile int idleTimeoutMillis;

    public BlockingServer(InetSocketAddress bindAddress, ThreadMode mode, int poolSize, int maxConnections) {
        this(bindAddress, mode, poolSize, maxConnections, ThreadMode.namedThreads("netplay-conn-"));
    }

    /** With the factory that makes a platform thread per connection; tests inject one that fails. */
    public BlockingServer(InetSocketAddress bindAddress, ThreadMode mode, int poolSize, int maxConnections,
                          ThreadFactory platformThreads) {
        this(bindAddress, mode, poolSize, maxConnections, platformThreads, ClientMemory.defaultLimitBytes());
    }

    /** With the budget for what all clients together may make it hold ({@link ClientMemory}). */
    public BlockingServer(InetSocketAddress bindAddress, ThreadMode mode, int poolSize, int maxConnections,
                          ThreadFactory platformThreads, long clientMemoryLimitBytes) {
        this(bindAddress, new ServerSettings(mode.modelName(), "socket", 0, mode == ThreadMode.POOL ? poolSize : 0,
                ServerSettings.SLEEP_BLOCKING, maxConnections), switch (mode) {
                    case VIRTUAL -> ThreadMode.newVirtualThreadPerTaskExecutor();
                    case POOL -> Executors.newFixedThreadPool(poolSize, ThreadMode.namedThreads("netplay-pool-"));
                    case PLATFORM -> null;
                }, platformThreads, clientMemoryLimitBytes);
    }

    /**
     * Serves each connection as one task of {@code connectionThreads} (which decides the threading idea), on
     * {@code config}; INFO reports {@code modelName} and the pool size {@code poolSize} (0: no fixed pool).
     */
    public BlockingServer(ServerConfig config, String modelName, int poolSize, ExecutorService connectionThreads) {
        this(config.address(), new ServerSettings(modelName, "socket", 0, poolSize, ServerSettings.SLEEP_BLOCKING,
                config.maxConnections()), connectionThreads, null, config.maxClientMemoryBytes());
        setIdleTimeout(config.idleTimeout());
        guards(config.guards());
        backend(config.backend());
    }

    private BlockingServer(InetSocketAddress bindAddress, ServerSettings settings, ExecutorService executor,
                           ThreadFactory platformThreads, long clientMemoryLimitBytes) {
        this.stats = new ServerStats(clientMemoryLimitBytes);
        this.bindAddress = bindAddress;
        this.platformThreads = platformThreads;
        this.settings = settings;
        this.executor = executor;
        this.virtualThreads = settings.model().equals(ThreadMode.VIRTUAL.modelName());
    }

    /** The time bounds and debug commands every connection obeys; set before {@link #start()}. */
    public BlockingServer guards(ServerGuards guards) {
        this.settings = settings.withGuards(guards);
        return this;
    }

    /** The server FETCH and GATHER call; set before {@link #start()}. */
    public BlockingServer backend(BackendSettings backend) {
        this.settings = settings.withBackend(backend);
        return this;
    }

    /** Closes a connection blocked in read for longer than this (0: never); set before {@link #start()}. */
    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis());
    }

    @Override
    public void start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("start() already called");
        }
        dispatcher = new CommandDispatcher(settings, stats);
        if (settings.backend().configured()) {
            backend = new BlockingBackend(settings.backend(), stats.backend(), virtualThreads);
        }
        long writeTimeout = settings.guards().writeTimeout().toNanos();
        if (writeTimeout > 0) {
            watchdog = Executors.newSingleThreadScheduledExecutor(ThreadMode.namedThreads("netplay-watchdog-"));
            watchdog.scheduleWithFixedDelay(() -> {
                long now = System.nanoTime();
                connections.forEach(c -> c.closeIfWriteStalled(now));
            }, WATCHDOG_PERIOD_MILLIS, WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
        serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(bindAddress, ACCEPT_BACKLOG);
        acceptThread = new Thread(this::acceptLoop, "netplay-accept");
        acceptThread.start();
    }

    private void acceptLoop() {
        while (!stopping) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (stopping) {
                    return; // the socket was closed by stop()
                }
                // Typically out of file descriptors: nothing here opens a file; wait for connections to close.
                log.debug("accept failed: {}", e.toString());
                LockSupport.parkNanos(ACCEPT_BACKOFF_NANOS);
                continue;
            }
            try {
                admit(socket);
            } catch (RuntimeException e) {
                // This connection fails; the accept loop, and every other connection, goes on.
                log.warn("could not admit {}: {}", socket.getRemoteSocketAddress(), e.toString());
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", socket.getRemoteSocketAddress(), e.toString());
        }
    }

    private void admit(Socket socket) {
        byte[] refusal = stats.admit(socket.getRemoteSocketAddress(), settings.guards(), settings.maxConnections());
        if (refusal != null) {
            refuse(socket, refusal);
            return;
        }
        try {
            socket.setTcpNoDelay(true);
            // A read timeout counts only while this connection's thread waits for a request, never during a SLEEP.
            socket.setSoTimeout(idleTimeoutMillis);
        } catch (IOException e) {
            log.debug("setting socket options: {}", e.toString());
        }
        ConnectionHandler handler = new ConnectionHandler(socket, dispatcher, stats, connections::remove, idleTimeoutMillis,
                backend);
        connections.add(handler);
        try {
            if (executor != null) {
                executor.execute(handler);
            } else {
                platformThreads.newThread(handler).start();
            }
        } catch (OutOfMemoryError | RejectedExecutionException | IllegalStateException e) {
            // "unable to create native thread": this connection fails, the server goes on.
            connections.remove(handler);
            handler.neverStarted();
            refuse(socket, Resp.error("cannot start a thread for this connection: " + e.getMessage()));
        }
    }

    private static void refuse(Socket socket, byte[] error) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write(error);
            out.flush();
        } catch (IOException e) {
            log.debug("refusing {}: {}", socket.getRemoteSocketAddress(), e.toString());
        }
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
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
        if (serverSocket == null || stopping) {
            return true;
        }
        stopping = true;
        try {
            serverSocket.close();
            acceptThread.join(THREAD_EXIT_WAIT_MILLIS);
        } catch (IOException e) {
            log.debug("closing the server socket: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean drained = GracePeriod.await(stats, grace);
        connections.forEach(ConnectionHandler::refuseRemaining);
        if (backend != null) {
            backend.abortCalls(); // a platform thread blocked in a backend read wakes only so
        }
        GracePeriod.awaitDisconnected(stats); // each thread writes its stopping errors and closes
        connections.forEach(ConnectionHandler::abort);
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        if (backend != null) {
            backend.close();
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(THREAD_EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    log.warn("connection threads did not stop within {} ms", THREAD_EXIT_WAIT_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return drained;
    }
}
