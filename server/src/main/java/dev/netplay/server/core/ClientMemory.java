package dev.netplay.server.core;

import dev.netplay.common.limits.Limits;

import dev.netplay.common.resp.Resp;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide budget for what clients make a server hold: partial requests and replies not yet written. Each
 * connection reports what it holds as that changes; when all together pass the limit, the connection holding the
 * most is evicted (closed, with an error reply where it can take one) until the total is back under it, as Redis's
 * {@code maxmemory-clients} does. One connection alone is bounded by {@link Limits#MAX_REQUEST_BYTES} and its
 * server's output backpressure; this bounds the crowd. Thread-safe.
 */
public final class ClientMemory {
    /** One connection, as the budget sees it. */
    public interface Client {
        /** Closes the connection, with {@code reply} (an error) first where it can still take one; from any thread. */
        void evict(byte[] reply);
    }

    /** What one client holds, and whether it was already evicted. */
    public static final class Usage {
        private final Client client;
        private long bytes;
        private boolean evicted;
        /** The size bucket it is in ({@link #bucketOf}); -1 while it holds nothing. */
        private int bucket = -1;

        private Usage(Client client) {
            this.client = client;
        }
    }

    /** Buckets by size: bucket b holds the clients of 2^b to 2^(b+1) - 1 bytes. */
    private static final int BUCKETS = 64;

    private final long limitBytes;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    /**
     * The clients that hold anything, by size bucket, as Redis 7 keeps them for its client eviction: the next to go
     * is taken from the highest bucket that is not empty, so it holds at least half of what the biggest holds, and an
     * eviction costs a look at 64 buckets, not a scan of every client (at 19,000 clients a scan per eviction stalled
     * every client for seconds).
     */
    private final Set<Usage>[] buckets;

    @SuppressWarnings("unchecked")
    public ClientMemory(long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("client memory limit " + limitBytes + " must be > 0 bytes");
        }
        this.limitBytes = limitBytes;
        buckets = new Set[BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            buckets[b] = ConcurrentHashMap.newKeySet();
        }
    }

    /**
     * {@link Limits#CLIENT_MEMORY_SHARE} of this JVM's heap or direct-memory limit, whichever is smaller (Netty keeps
     * its buffers in direct memory, and its default limit is the heap's).
     */
    public static long defaultLimitBytes() {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        long direct = maxDirectMemory();
        long smaller = heap <= 0 ? direct : direct <= 0 ? heap : Math.min(heap, direct);
        return Math.max(1, (long) (smaller * Limits.CLIENT_MEMORY_SHARE));
    }

    /** -XX:MaxDirectMemorySize if set, else the heap limit (the JVM's default); -1 if unknown. */
    private static long maxDirectMemory() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:MaxDirectMemorySize=")) {
                try {
                    return dev.netplay.common.cli.Units.parseBytes(arg.substring(arg.indexOf('=') + 1));
                } catch (IllegalArgumentException e) {
                    return -1;
                }
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static int bucketOf(long bytes) {
        return bytes <= 0 ? -1 : 63 - Long.numberOfLeadingZeros(bytes);
    }

    public Usage register(Client client) {
        return new Usage(client);
    }

    /** The connection is gone: what it held is free. */
    public void unregister(Usage u) {
        synchronized (u) {
            used.addAndGet(-u.bytes);
            u.bytes = 0;
            u.evicted = true;
            moveTo(u, -1);
        }
    }

    /** Called holding {@code u}'s lock. */
    private void moveTo(Usage u, int bucket) {
        if (u.bucket != bucket) {
            if (u.bucket >= 0) {
                buckets[u.bucket].remove(u);
            }
            if (bucket >= 0) {
                buckets[bucket].add(u);
            }
            u.bucket = bucket;
        }
    }

    /** The connection now holds {@code bytes}; over budget, the biggest connections are evicted. */
    public void update(Usage u, long bytes) {
        long total;
        synchronized (u) {
            if (u.evicted || bytes == u.bytes) {
                return;
            }
            total = used.addAndGet(bytes - u.bytes);
            u.bytes = bytes;
            moveTo(u, bucketOf(bytes));
        }
        if (total > limitBytes) {
            evictWhileOver();
        }
    }

    private synchronized void evictWhileOver() {
        while (used.get() > limitBytes) {
            Usage victim = biggest();
            if (victim == null) {
                return; // what is over the limit is held by no client any more
            }
            long held;
            synchronized (victim) {
                held = victim.bytes;
                if (victim.evicted || held == 0) {
                    continue; // it left or shrank meanwhile: look again
                }
                used.addAndGet(-held);
                victim.bytes = 0;
                victim.evicted = true;
                moveTo(victim, -1);
            }
            evictions.incrementAndGet();
            victim.client.evict(Resp.error("client evicted: it held " + held + " bytes when all clients together held more than "
                    + limitBytes + " (--max-client-memory)"));
        }
    }

    /** The biggest client of the highest bucket that has any: at least half the size of the biggest of all. */
    private Usage biggest() {
        for (int b = BUCKETS - 1; b >= 0; b--) {
            Usage best = null;
            for (Usage u : buckets[b]) {
                if (best == null || u.bytes > best.bytes) {
                    best = u;
                }
                if (buckets[b].size() > 64) {
                    break; // a crowded bucket: any of it is within 2x of the biggest
                }
            }
            if (best != null) {
                return best;
            }
        }
        return null;
    }

    public long usedBytes() {
        return used.get();
    }

    public long limitBytes() {
        return limitBytes;
    }

    public long evictions() {
        return evictions.get();
    }
}
