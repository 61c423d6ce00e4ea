package dev.netplay.common.protocol;

/**
 * How a server was started, as INFO reports it.
 *
 * @param model          {@code netty}, {@code threads-platform}, {@code threads-virtual} or {@code threads-pool}
 * @param transport      {@code nio}, {@code epoll}, {@code io_uring}, or {@code socket} for java.net sockets
 * @param ioThreads      event loop threads; 0 for the thread-per-connection models
 * @param poolSize       worker pool size; 0 where there is no pool
 * @param sleepMode      {@code timer} or {@code blocking}
 * @param maxConnections connections served at once; more are refused
 */
public record ServerSettings(String model, String transport, int ioThreads, int poolSize, String sleepMode,
                             int maxConnections) {
    public static final String SLEEP_TIMER = "timer";
    public static final String SLEEP_BLOCKING = "blocking";
}
