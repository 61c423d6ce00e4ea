package dev.netplay.server.core;

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
 * @param protectedMode  with no password, refuse every client not connected from loopback ({@link #DENIED}), as
 *                       Redis's {@code protected-mode yes}
 */
public record ServerGuards(Duration requestTimeout, Duration writeTimeout, DebugCommands debugCommands, String requirePass,
                           boolean protectedMode) {
    /**
     * What a client refused by protected mode reads before its connection is closed: Redis's explanation, with the
     * remedies this server has.
     */
    public static final String DENIED = "netplay is running in protected mode because protected mode is enabled and no "
            + "password is set for the default user. In this mode connections are only accepted from the loopback "
            + "interface. If you want to connect from external computers you may adopt one of the following solutions: "
            + "1) If you started the server manually just for testing, restart it with the '--protected-mode no' option, "
            + "however MAKE SURE it is not publicly accessible from internet if you do so. 2) Set up an authentication "
            + "password for the default user: restart it with --requirepass PASSWORD (or NETPLAY_REQUIREPASS in its "
            + "environment). NOTE: You only need to do one of the above things in order for the server to start "
            + "accepting connections from the outside.";

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
        this(requestTimeout, writeTimeout, debugCommands, null, true);
    }

    public ServerGuards {
        if (requestTimeout.isNegative() || writeTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be >= 0 (got request " + requestTimeout + ", write " + writeTimeout + ")");
        }
    }

    public ServerGuards withRequestTimeout(Duration timeout) {
        return new ServerGuards(timeout, writeTimeout, debugCommands, requirePass, protectedMode);
    }

    public ServerGuards withWriteTimeout(Duration timeout) {
        return new ServerGuards(requestTimeout, timeout, debugCommands, requirePass, protectedMode);
    }

    public ServerGuards withDebugCommands(DebugCommands who) {
        return new ServerGuards(requestTimeout, writeTimeout, who, requirePass, protectedMode);
    }

    /** With a password every connection must give first; null or empty: none. */
    public ServerGuards withRequirePass(String password) {
        return new ServerGuards(requestTimeout, writeTimeout, debugCommands, password == null || password.isEmpty() ? null : password,
                protectedMode);
    }

    /** With protected mode on or off ({@code --protected-mode yes|no}). */
    public ServerGuards withProtectedMode(boolean on) {
        return new ServerGuards(requestTimeout, writeTimeout, debugCommands, requirePass, on);
    }

    /** Whether protected mode refuses clients from other hosts: it is on and there is no password. */
    public boolean refusesOtherHosts() {
        return protectedMode && requirePass == null;
    }

    /** Who may connect, as the listening line says it: {@code loopback-only} (protected mode), {@code password} or {@code anyone}. */
    public String access() {
        return refusesOtherHosts() ? "loopback-only" : requirePass != null ? "password" : "anyone";
    }

    /** The password is never printed: records print their components. */
    @Override
    public String toString() {
        return "ServerGuards[requestTimeout=" + requestTimeout + ", writeTimeout=" + writeTimeout + ", debugCommands="
                + debugCommands + ", requirePass=" + (requirePass == null ? "none" : "set") + ", protectedMode=" + protectedMode + "]";
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
