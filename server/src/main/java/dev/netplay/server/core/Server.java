package dev.netplay.server.core;


import java.net.InetSocketAddress;
import java.time.Duration;

/** A running server of any model. */
public interface Server extends AutoCloseable {
    /** Binds and starts serving; returns once the listening socket is open. */
    void start() throws Exception;

    InetSocketAddress address();

    ServerSettings settings();

    ServerStats stats();

    /**
     * Stops accepting, lets requests in flight finish for up to {@code grace}, then closes every connection.
     *
     * @return true if no request was still in flight when connections were closed
     */
    boolean stop(Duration grace);

    @Override
    default void close() {
        stop(Duration.ZERO);
    }
}
