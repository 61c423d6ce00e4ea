package dev.netplay.server.testing;

import dev.netplay.common.resp.Resp;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What everyone else sees while a client attacks a server: a fresh connection's PING every {@link #PROBE_EVERY_NANOS}
 * (its latency, connect included), and well-behaved clients sending unique ECHOs, every reply checked.
 */
public final class AttackWatch implements AutoCloseable {
    private static final long PROBE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Longest latency told apart (ms); a probe that fails counts as this. */
    private static final long MAX_MILLIS = 60_000;

    private final InetSocketAddress address;
    private final Histogram pingMillis = new Histogram(MAX_MILLIS, 2);
    private final AtomicLong echoes = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    public AttackWatch(InetSocketAddress address, int wellBehavedClients) {
        this.address = address;
        threads.add(daemon("watch-probe", this::probe));
        for (int i = 0; i < wellBehavedClients; i++) {
            int id = i;
            threads.add(daemon("watch-echo-" + i, () -> echo(id)));
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void probe() {
        while (running) {
            long start = System.nanoTime();
            long millis;
            try (RespClient c = new RespClient(address)) {
                millis = c.call("PING").equals("+PONG\r\n") ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) : MAX_MILLIS;
            } catch (IOException e) {
                millis = MAX_MILLIS;
            }
            synchronized (pingMillis) {
                pingMillis.recordValue(Math.min(MAX_MILLIS, millis));
            }
            LockSupport.parkNanos(Math.max(0, PROBE_EVERY_NANOS - (System.nanoTime() - start)));
        }
    }

    private void echo(int id) {
        try (RespClient c = new RespClient(address)) {
            for (long n = 0; running; n++) {
                String text = "client-" + id + "-" + n;
                if (c.call("ECHO", text).equals(new String(Resp.bulk(text), java.nio.charset.StandardCharsets.US_ASCII))) {
                    echoes.incrementAndGet();
                } else {
                    wrong.incrementAndGet();
                }
            }
        } catch (IOException e) {
            failures.incrementAndGet();
        }
    }

    /** The fresh connections' PING latency at this percentile so far (ms). */
    public long pingMillisAt(double percentile) {
        synchronized (pingMillis) {
            return pingMillis.getValueAtPercentile(percentile);
        }
    }

    public long probes() {
        synchronized (pingMillis) {
            return pingMillis.getTotalCount();
        }
    }

    public long echoes() {
        return echoes.get();
    }

    public long wrongReplies() {
        return wrong.get();
    }

    /** Well-behaved clients whose connection failed (a lost reply, a close). */
    public long failedClients() {
        return failures.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(40));
        }
    }

    @Override
    public String toString() {
        return "fresh PING p50 " + pingMillisAt(50) + " ms, p99 " + pingMillisAt(99) + " ms over " + probes()
                + " probes; " + echoes() + " ECHOs right, " + wrongReplies() + " wrong, " + failedClients() + " clients failed";
    }
}
