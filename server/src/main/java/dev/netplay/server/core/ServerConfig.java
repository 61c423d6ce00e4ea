package dev.netplay.server.core;

import dev.netplay.server.backend.BackendSettings;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What every server model is given, whatever its threading idea: where to listen and its limits.
 *
 * @param address             where to listen; port 0 picks a free one
 * @param maxConnections      connections served at once; more get {@code -ERR max number of clients reached}
 * @param idleTimeout         close a connection idle this long with no request pending; zero: never
 * @param maxClientMemoryBytes what all clients together may make the server hold ({@link ClientMemory})
 * @param guards              the request and write timeouts, and who may run debug commands
 * @param backend             the server FETCH and GATHER call, and how
 */
public record ServerConfig(InetSocketAddress address, int maxConnections, Duration idleTimeout, long maxClientMemoryBytes,
                           ServerGuards guards, BackendSettings backend) {
    /** With no backend. */
    public ServerConfig(InetSocketAddress address, int maxConnections, Duration idleTimeout, long maxClientMemoryBytes,
                        ServerGuards guards) {
        this(address, maxConnections, idleTimeout, maxClientMemoryBytes, guards, BackendSettings.NONE);
    }

    /** With the default guards ({@link ServerGuards#DEFAULTS}). */
    public ServerConfig(InetSocketAddress address, int maxConnections, Duration idleTimeout, long maxClientMemoryBytes) {
        this(address, maxConnections, idleTimeout, maxClientMemoryBytes, ServerGuards.DEFAULTS);
    }

    public ServerConfig withBackend(BackendSettings backend) {
        return new ServerConfig(address, maxConnections, idleTimeout, maxClientMemoryBytes, guards, backend);
    }

    /** On {@code address} with the limits' defaults but {@code maxConnections}, and no idle timeout (as tests use). */
    public static ServerConfig of(InetSocketAddress address, int maxConnections) {
        return new ServerConfig(address, maxConnections, Duration.ZERO, ClientMemory.defaultLimitBytes());
    }
}
