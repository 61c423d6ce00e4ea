package dev.netplay.client.load;

import dev.netplay.common.protocol.InfoReport;
import dev.netplay.common.resp.ReplyReader;
import dev.netplay.common.resp.Resp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The control connection: asks the target for INFO once a second and keeps, per measured window, the server's
 * peak threads and RSS and the CPU it used. It connects before the load does, so even a full pool serves it.
 */
final class ServerSampler implements AutoCloseable {
    private static final byte[] INFO = Resp.command("INFO");
    /** At window edges: every section, with the per-thread scheduler counts that a once-a-second INFO leaves out. */
    private static final byte[] INFO_EVERYTHING = Resp.command("INFO", "everything");
    private static final byte[] MEMORY_PURGE = Resp.command("MEMORY", "PURGE");
    private static final long SAMPLE_INTERVAL_MILLIS = 1_000;
    /** A server whose event loop is blocked (netty --blocking-sleep) answers late; past this, the sample is skipped. */
    private static final int READ_TIMEOUT_MILLIS = 5_000;
    /**
     * At a window's edges the figures depend on an answer: a server whose one core is saturated by thousands of
     * runnable threads may take seconds to get to it, and the server's own uptime bounds its window anyway.
     */
    private static final int EDGE_READ_TIMEOUT_MILLIS = 30_000;

    /**
     * What the server cost during one measured window; null fields where the server does not report them.
     * {@code start} and {@code end} are the full INFO (every section) at the window's edges; empty if unanswered.
     */
    record Figures(Long threadsPeak, Long rssPeakBytes, Long connectedClients, Long cpuNanos, Long commands, boolean answered,
                   Map<String, String> start, Map<String, String> end) {
    }

    private final Target target;
    private final Duration connectTimeout;
    private Socket socket;
    private ReplyReader reader;
    private OutputStream out;
    private final Thread thread;
    private volatile boolean closed;
    private boolean windowOpen;
    private Long threadsPeak;
    private Long rssPeak;
    private Long cpuStart;
    private Long commandsStart;
    private Map<String, String> last = Map.of();
    private long requestsSent;
    /** Requests whose answers timed out and are still to come, in order. */
    private int owed;

    private ServerSampler(Target target, Duration connectTimeout) throws IOException {
        this.target = target;
        this.connectTimeout = connectTimeout;
        connect();
        thread = new Thread(this::loop, "netplay-sampler-" + target.name());
        thread.setDaemon(true);
    }

    /** Connects, or fails with why the target is unreachable. */
    static ServerSampler open(Target target, Duration connectTimeout) throws IOException {
        ServerSampler sampler = new ServerSampler(target, connectTimeout);
        sampler.thread.start();
        return sampler;
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(target.address(), (int) connectTimeout.toMillis());
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        out = s.getOutputStream();
        reader = new ReplyReader(s.getInputStream());
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(SAMPLE_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    /** One INFO now; an empty map if the server did not answer (the next call reconnects). */
    synchronized Map<String, String> sample() {
        return sample(INFO);
    }

    private Map<String, String> sample(byte[] request) {
        return sample(request, READ_TIMEOUT_MILLIS);
    }

    private Map<String, String> sample(byte[] request, int timeoutMillis) {
        byte[] reply = call(request, timeoutMillis);
        last = reply == null || reply.length == 0 || reply[0] != '$' ? Map.of()
                : InfoReport.parse(new String(ReplyReader.payloadOfBulk(reply), StandardCharsets.UTF_8));
        if (windowOpen) {
            threadsPeak = max(threadsPeak, number(last, "threads_live"));
            rssPeak = max(rssPeak, number(last, "rss_bytes"));
        }
        return last;
    }

    /**
     * Sends one request and returns its whole reply; null if there was none. A late answer is not a dead server:
     * on a read timeout the connection is kept, and the answers still owed are read (and dropped) before the next
     * one, in order, since a fresh connection could not be had from a server whose accept queue is full of the
     * load's connects. Any other failure closes the connection; the next call reconnects.
     */
    private byte[] call(byte[] request, int timeoutMillis) {
        if (closed) {
            return null;
        }
        try {
            if (socket == null) {
                connect();
            }
            socket.setSoTimeout(timeoutMillis);
            out.write(request);
            out.flush();
            requestsSent++;
            while (owed > 0) {
                reader.readRaw();
                owed--;
            }
            return reader.readRaw();
        } catch (SocketTimeoutException e) {
            owed++;
        } catch (IOException | RuntimeException e) {
            closeSocket();
        }
        return null;
    }

    /** INFO requests written so far; the server counts them among its commands. */
    synchronized long requestsSent() {
        return requestsSent;
    }

    /**
     * {@code MEMORY PURGE} (a full collection on netplay's servers), then INFO: the server's live heap now.
     * Sent outside measured windows only. Empty if the server did not answer; its answer to PURGE is not checked,
     * since other servers (redis-server) answer it in their own way.
     */
    synchronized Map<String, String> purgeAndSample() {
        if (call(MEMORY_PURGE, EDGE_READ_TIMEOUT_MILLIS) == null) {
            return Map.of();
        }
        return sample(INFO, EDGE_READ_TIMEOUT_MILLIS);
    }

    private Map<String, String> windowStart = Map.of();

    synchronized Map<String, String> beginWindow() {
        windowOpen = false;
        Map<String, String> now = sample(INFO_EVERYTHING, EDGE_READ_TIMEOUT_MILLIS);
        windowStart = now;
        cpuStart = number(now, "process_cpu_ns");
        commandsStart = number(now, "total_commands_processed");
        threadsPeak = number(now, "threads_live");
        rssPeak = number(now, "rss_bytes");
        windowOpen = true;
        return now;
    }

    synchronized Figures endWindow() {
        Map<String, String> now = sample(INFO_EVERYTHING, EDGE_READ_TIMEOUT_MILLIS);
        windowOpen = false;
        Long cpuEnd = number(now, "process_cpu_ns");
        Long cpu = difference(cpuStart, cpuEnd);
        Long commands = difference(commandsStart, number(now, "total_commands_processed"));
        return new Figures(threadsPeak, rssPeak, number(now, "connected_clients"), cpu, commands, !now.isEmpty(), windowStart, now);
    }

    static Long number(Map<String, String> info, String field) {
        String v = info.get(field);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v.trim());
            return n < 0 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long difference(Long start, Long end) {
        if (start == null || end == null) {
            return null;
        }
        return Long.valueOf(end - start);
    }

    private static Long max(Long a, Long b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Long.valueOf(Math.max(a, b)); // no ternary: it would unbox a null
    }

    private void closeSocket() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already broken
            }
            socket = null;
            owed = 0;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        synchronized (this) {
            closeSocket();
        }
    }
}
