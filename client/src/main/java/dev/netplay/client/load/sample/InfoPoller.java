package dev.netplay.client.load.sample;

import dev.netplay.client.load.plan.Password;
import dev.netplay.client.load.plan.Target;
import dev.netplay.common.protocol.InfoField;
import dev.netplay.common.protocol.InfoText;
import dev.netplay.common.resp.ReplyReader;
import dev.netplay.common.resp.Resp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The control connection: asks the target for INFO once a second, and on demand at a window's edges. It connects
 * before the load does, so even a full pool serves it. Every reading goes to the listener (the window's arithmetic,
 * {@link ServerWindow}); each call is one request and its answer, so callers need no lock of their own.
 */
public final class InfoPoller implements AutoCloseable {
    private static final byte[] INFO = Resp.command("INFO");
    /** At window edges: every section, with the per-thread scheduler counts that a once-a-second INFO leaves out. */
    private static final byte[] INFO_EVERYTHING = Resp.command("INFO", "everything");
    private static final byte[] MEMORY_PURGE = Resp.command("MEMORY", "PURGE");
    private static final long SAMPLE_INTERVAL_MILLIS = 1_000;
    /** An INFO reply is a few KiB: a server that sends more is not believed (a hostile one could send gigabytes). */
    static final long MAX_INFO_BYTES = 1024 * 1024; // 1 MiB
    /** A server whose event loop is blocked (netty --blocking-sleep) answers late; past this, the sample is skipped. */
    private static final int READ_TIMEOUT_MILLIS = 5_000;
    /**
     * At a window's edges the figures depend on an answer: a server whose one core is saturated by thousands of
     * runnable threads may take seconds to get to it, and the server's own uptime bounds its window anyway.
     */
    private static final int EDGE_READ_TIMEOUT_MILLIS = 30_000;

    /** One INFO answer (empty if none came) and the requests this connection had sent by then, that one included. */
    public record Reading(Map<String, String> info, long requestsSent) {
    }

    private final Target target;
    private final Duration connectTimeout;
    /** Given first on every (re)connection; null: none. */
    private final Password password;
    private final Consumer<Map<String, String>> listener;
    private final Thread thread;
    private Socket socket;
    private ReplyReader reader;
    private OutputStream out;
    private volatile boolean closed;
    private long requestsSent;
    /** Requests whose answers timed out and are still to come, in order. */
    private int owed;

    private InfoPoller(Target target, Duration connectTimeout, Password password, Consumer<Map<String, String>> listener)
            throws IOException {
        this.target = target;
        this.connectTimeout = connectTimeout;
        this.password = password;
        this.listener = listener;
        connect();
        thread = new Thread(this::loop, "netplay-sampler-" + target.name());
        thread.setDaemon(true);
    }

    /** Connects, or fails with why the target is unreachable; then polls once a second. */
    public static InfoPoller open(Target target, Duration connectTimeout, Password password, Consumer<Map<String, String>> listener)
            throws IOException {
        InfoPoller poller = new InfoPoller(target, connectTimeout, password, listener);
        poller.thread.start();
        return poller;
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(target.address(), (int) connectTimeout.toMillis());
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            if (password != null) {
                requestsSent++; // the server counts AUTH as a command too
                password.authenticate(s.getOutputStream(), s.getInputStream());
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        out = s.getOutputStream();
        reader = new ReplyReader(s.getInputStream(), MAX_INFO_BYTES, java.time.Duration.ofMillis(EDGE_READ_TIMEOUT_MILLIS));
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(SAMPLE_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            info();
        }
    }

    /** One INFO now. */
    public synchronized Reading info() {
        return read(INFO, READ_TIMEOUT_MILLIS);
    }

    /**
     * INFO of every section, waiting long for it: for a window's edges. A Scheduler section the server shared from an
     * earlier reading (it makes at most one a second: windows shorter than that) is dropped, so that the level's
     * scheduler and CPU-split figures are unknown rather than computed from a stale reading.
     */
    public synchronized Reading everything() {
        Reading reading = read(INFO_EVERYTHING, EDGE_READ_TIMEOUT_MILLIS);
        if (!"1".equals(InfoField.SCHED_SHARED.in(reading.info()))) {
            return reading;
        }
        Map<String, String> fresh = new java.util.LinkedHashMap<>(reading.info());
        InfoField.Section.SCHEDULER.fields().forEach(f -> fresh.remove(f.key()));
        return new Reading(fresh, reading.requestsSent());
    }

    /**
     * {@code MEMORY PURGE} (a full collection on netplay's servers), then INFO: the server's live heap now. Sent
     * outside measured windows only. Empty if the server did not answer; its answer to PURGE is not checked, since
     * other servers (redis-server) answer it in their own way.
     */
    public synchronized Reading purgeAndInfo() {
        if (call(MEMORY_PURGE, EDGE_READ_TIMEOUT_MILLIS) == null) {
            return new Reading(Map.of(), requestsSent);
        }
        return read(INFO, EDGE_READ_TIMEOUT_MILLIS);
    }

    private Reading read(byte[] request, int timeoutMillis) {
        byte[] reply = call(request, timeoutMillis);
        Map<String, String> info = reply == null || reply.length == 0 || reply[0] != '$' ? Map.of()
                : RedisInfoNames.added(InfoText.parse(new String(ReplyReader.payloadOfBulk(reply), StandardCharsets.UTF_8)));
        listener.accept(info);
        return new Reading(info, requestsSent);
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
