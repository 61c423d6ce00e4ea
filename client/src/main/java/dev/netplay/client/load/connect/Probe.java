package dev.netplay.client.load.connect;

import dev.netplay.client.load.plan.Password;
import dev.netplay.client.load.plan.Target;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One extra connection, apart from the load: a PING every {@value #PERIOD_MILLIS} ms, its latency recorded on its
 * own, from a thread of its own (not the load's event loops, so that a busy load client delays it less). What a
 * fresh, light client meets on a loaded server; mutilate measures latency the same way, on a connection of its own
 * at a low rate. A PING unanswered within the timeout counts as a probe timeout and the probe reconnects.
 */
public final class Probe implements AutoCloseable {
    static final long PERIOD_MILLIS = 100;
    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Target target;
    private final int timeoutMillis;
    /** Given first on every (re)connection (one AUTH more for the server's count, not subtracted); null: none. */
    private final Password password;
    private final Thread thread;
    /** PING latencies, ns. */
    public final Recorder latency = new Recorder(3);
    public final LongAdder sent = new LongAdder();
    public final LongAdder timeouts = new LongAdder();
    /** Connects that failed and replies that were not +PONG. */
    public final LongAdder failures = new LongAdder();
    private volatile boolean stopping;
    private volatile Socket socket;

    public Probe(Target target, Duration timeout, Password password) {
        this.target = target;
        this.password = password;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.thread = new Thread(this::run, "probe-" + target.name());
        this.thread.setDaemon(true);
    }

    public Probe start() {
        thread.start();
        return this;
    }

    private void run() {
        long next = System.nanoTime();
        while (!stopping) {
            next += TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);
            try {
                Socket s = connected();
                long start = System.nanoTime();
                OutputStream out = s.getOutputStream();
                out.write(PING);
                out.flush();
                sent.increment();
                if (readPong(s.getInputStream())) {
                    latency.recordValue(System.nanoTime() - start);
                } else {
                    failures.increment();
                    drop();
                }
            } catch (java.net.SocketTimeoutException e) {
                timeouts.increment();
                drop();
            } catch (IOException e) {
                if (!stopping) {
                    failures.increment();
                }
                drop();
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime(); // a late PING does not make the next ones bunch up behind it
            }
        }
        drop();
    }

    private Socket connected() throws IOException {
        Socket s = socket;
        if (s == null) {
            s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(target.address(), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            if (password != null) {
                try {
                    password.authenticate(s.getOutputStream(), s.getInputStream());
                } catch (IOException e) {
                    s.close();
                    throw e;
                }
            }
            socket = s;
        }
        return s;
    }

    private static boolean readPong(InputStream in) throws IOException {
        for (byte expected : PONG) {
            int b = in.read();
            if (b != expected) {
                return false;
            }
        }
        return true;
    }

    private void drop() {
        Socket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a socket the server may have closed already
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        // Let a PING in flight finish, so that every PING counted as sent reached the server and was counted there too.
        LockSupport.unpark(thread);
        thread.join(timeoutMillis + TimeUnit.SECONDS.toMillis(1));
        drop();
    }
}
