package dev.netplay.common.protocol;

import java.time.Duration;
import java.util.Locale;

/**
 * What keeps one client from holding a server hostage: how long a request may take to arrive, how long a reply may
 * make no progress, and who may run the commands that stop the world. Every model obeys the same values.
 *
 * @param requestTimeout a request whose first byte has arrived must be complete within this (while the server is
 *                       reading it), else {@code -ERR Protocol error: request not complete within ...} and close;
 *                       zero: never
 * @param writeTimeout   a connection whose pending reply makes no progress for this long is closed; zero: never
 * @param debugCommands  who may run {@code MEMORY PURGE}, a full collection (Redis's {@code enable-debug-command})
 * @param requirePass    the password a connection must give (AUTH, or HELLO's AUTH) before any other command, as
 *                       Redis's {@code requirepass}; null: none
 */
public record ServerGuards(Duration requestTimeout, Duration writeTimeout, DebugCommands debugCommands, String requirePass) {
    /**
     * 30 s: the largest request (1 MiB + 64 KiB) at 40 KB/s still arrives in time; a client that drips a byte now and
     * then (each byte restarting the idle timer) is cut after 30 s, not after days.
     */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** 60 s, as nginx's {@code send_timeout}: a reader that takes any bytes at all in a minute is never cut. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(60);
    public static final ServerGuards DEFAULTS = new ServerGuards(DEFAULT_REQUEST_TIMEOUT, DEFAULT_WRITE_TIMEOUT, DebugCommands.LOCAL);
    /** Off: no bound on either direction, every command for everyone (as a test of the bare model may want). */
    public static final ServerGuards NONE = new ServerGuards(Duration.ZERO, Duration.ZERO, DebugCommands.YES);

    public ServerGuards(Duration requestTimeout, Duration writeTimeout, DebugCommands debugCommands) {
        this(requestTimeout, writeTimeout, debugCommands, null);
    }

    public ServerGuards {
        if (requestTimeout.isNegative() || writeTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be >= 0 (got request " + requestTimeout + ", write " + writeTimeout + ")");
        }
    }

    public ServerGuards withRequestTimeout(Duration timeout) {
        return new ServerGuards(timeout, writeTimeout, debugCommands, requirePass);
    }

    public ServerGuards withWriteTimeout(Duration timeout) {
        return new ServerGuards(requestTimeout, timeout, debugCommands, requirePass);
    }

    public ServerGuards withDebugCommands(DebugCommands who) {
        return new ServerGuards(requestTimeout, writeTimeout, who, requirePass);
    }

    /** With a password every connection must give first; null or empty: none. */
    public ServerGuards withRequirePass(String password) {
        return new ServerGuards(requestTimeout, writeTimeout, debugCommands, password == null || password.isEmpty() ? null : password);
    }

    /** The password is never printed: records print their components. */
    @Override
    public String toString() {
        return "ServerGuards[requestTimeout=" + requestTimeout + ", writeTimeout=" + writeTimeout + ", debugCommands="
                + debugCommands + ", requirePass=" + (requirePass == null ? "none" : "set") + "]";
    }

    /** Who may run a debug command, as Redis's {@code enable-debug-command no|local|yes}. */
    public enum DebugCommands {
        NO, LOCAL, YES;

        /** Whether a client connected from loopback ({@code loopback}) or from elsewhere may run one. */
        public boolean allows(boolean loopback) {
            return switch (this) {
                case NO -> false;
                case LOCAL -> loopback;
                case YES -> true;
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
