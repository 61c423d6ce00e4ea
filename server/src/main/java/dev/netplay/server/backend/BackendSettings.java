package dev.netplay.server.backend;

import dev.netplay.common.cli.HostPort;
import dev.netplay.common.limits.Limits;
import dev.netplay.common.resp.Resp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The server a front server waits on for FETCH and GATHER: where it is, how many connections to it may be open, how
 * long a call may take, what a call sends it and what it must answer. Every model obeys the same values.
 *
 * @param address     the backend; null: none (FETCH and GATHER answer that none is configured)
 * @param connections backend connections open at most, server-wide (a RESP connection carries one call at a time, so
 *                    this bounds the calls under way; more wait for one)
 * @param timeout     a call not answered within this, waiting for a connection included, gets an error
 * @param command     what a call sends, with {@code {ms}} (the wait in ms) or {@code {s}} (in seconds, 3 decimals)
 * @param reply       the reply's line a call must get, CRLF excluded (e.g. {@code +OK}, or {@code *-1} for Redis's BLPOP
 *                    timing out); anything else is an error and the backend connection is dropped
 * @param gather      how blocking code makes GATHER's calls: one after another, or on threads of their own
 */
public record BackendSettings(InetSocketAddress address, int connections, Duration timeout, String command, String reply,
                              Gather gather) {
    /**
     * 10,000: one backend connection per front connection at the largest level this machine reaches with FETCH (its
     * 20,000 open files hold a client socket and a backend socket per call), so the pool is not what the models are
     * compared on; a smaller pool is experiment 9's cliff.
     */
    public static final int DEFAULT_CONNECTIONS = 10_000;
    /** 65 s: the longest FETCH (60 s) with room to spare; a backend that answers later is slower than any FETCH asks. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(Limits.MAX_SLEEP_MILLIS + 5_000);
    /** netplay's own SLEEP: the backend's wait is its timer. */
    public static final String DEFAULT_COMMAND = "SLEEP {ms}";
    public static final String DEFAULT_REPLY = "+OK";
    /** Longest reply line read from a backend; a longer one is not the reply asked for. */
    public static final int MAX_REPLY_LINE_BYTES = 1024;

    public static final BackendSettings NONE = new BackendSettings(null, DEFAULT_CONNECTIONS, DEFAULT_TIMEOUT,
            DEFAULT_COMMAND, DEFAULT_REPLY, Gather.SEQUENTIAL);

    /** How one GATHER's calls are made. */
    public enum Gather {
        /** Blocking code as people write it: each call waits for the one before. */
        SEQUENTIAL,
        /** Blocking code that asks for threads: each call on a thread of its own (virtual where the model's are). */
        PARALLEL,
        /** An event loop: every call written at once, the replies counted as they come. */
        CONCURRENT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BackendSettings {
        if (connections < 1 || connections > Limits.MAX_BACKEND_CONNECTIONS) {
            throw new IllegalArgumentException("--backend-connections " + connections + " is out of range (expected: 1.."
                    + Limits.MAX_BACKEND_CONNECTIONS + ")");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--backend-timeout must be > 0 (got " + timeout + ")");
        }
        if (command.isBlank()) {
            throw new IllegalArgumentException("--backend-command is empty (expected e.g. \"" + DEFAULT_COMMAND + "\")");
        }
        byte[] line = reply.getBytes(StandardCharsets.UTF_8);
        if (line.length == 0 || line.length > MAX_REPLY_LINE_BYTES || reply.contains("\r") || reply.contains("\n")) {
            throw new IllegalArgumentException("--backend-reply '" + reply + "' is not one RESP line of 1.."
                    + MAX_REPLY_LINE_BYTES + " bytes (e.g. +OK, or *-1)");
        }
    }

    public boolean configured() {
        return address != null;
    }

    /** {@code host:port}, as errors and INFO name the backend; {@code none} when there is none. */
    public String label() {
        return address == null ? "none" : address.getHostString() + ":" + address.getPort();
    }

    public BackendSettings withAddress(InetSocketAddress address) {
        return new BackendSettings(address, connections, timeout, command, reply, gather);
    }

    public BackendSettings withConnections(int connections) {
        return new BackendSettings(address, connections, timeout, command, reply, gather);
    }

    public BackendSettings withTimeout(Duration timeout) {
        return new BackendSettings(address, connections, timeout, command, reply, gather);
    }

    public BackendSettings withCall(String command, String reply) {
        return new BackendSettings(address, connections, timeout, command, reply, gather);
    }

    public BackendSettings withGather(Gather gather) {
        return new BackendSettings(address, connections, timeout, command, reply, gather);
    }

    /** The request a call waiting {@code millis} sends, as a multibulk ({@link Requests} keeps the last one encoded). */
    public byte[] request(long millis) {
        String[] template = command.trim().split("\\s+");
        String[] words = new String[template.length];
        for (int i = 0; i < template.length; i++) {
            words[i] = template[i].replace("{ms}", Long.toString(millis))
                    .replace("{s}", millis / 1000 + "." + String.format(Locale.ROOT, "%03d", millis % 1000));
        }
        return Resp.command(words);
    }

    /**
     * The requests of one server's calls: the last wait's encoding is kept, since a load repeats one wait, so that a
     * call costs no parsing of the template. Thread-safe.
     */
    public static final class Requests {
        private final BackendSettings settings;
        private volatile Encoded last;

        public Requests(BackendSettings settings) {
            this.settings = settings;
        }

        /** Shared by every call that waits {@code millis}; never modified. */
        public byte[] forWait(long millis) {
            Encoded e = last;
            if (e == null || e.millis != millis) {
                e = new Encoded(millis, settings.request(millis));
                last = e;
            }
            return e.bytes;
        }

        private record Encoded(long millis, byte[] bytes) {
        }
    }

    /** The reply line expected, CRLF excluded. */
    public byte[] replyLine() {
        return reply.getBytes(StandardCharsets.UTF_8);
    }

    /** Parses {@code --backend}'s {@code host:port} (or {@code [v6]:port}). */
    public static InetSocketAddress parseAddress(String text) {
        return HostPort.parse("--backend", text);
    }
}
