package dev.netplay.common.protocol;

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

        private Usage(Client client) {
            this.client = client;
        }
    }

    private final long limitBytes;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final Set<Usage> clients = ConcurrentHashMap.newKeySet();

    public ClientMemory(long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("client memory limit " + limitBytes + " must be > 0 bytes");
        }
        this.limitBytes = limitBytes;
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

    public Usage register(Client client) {
        Usage u = new Usage(client);
        clients.add(u);
        return u;
    }

    /** The connection is gone: what it held is free. */
    public void unregister(Usage u) {
        synchronized (u) {
            clients.remove(u);
            used.addAndGet(-u.bytes);
            u.bytes = 0;
            u.evicted = true;
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
        }
        if (total > limitBytes) {
            evictWhileOver();
        }
    }

    /**
     * Evicts the biggest clients until the total is back under the limit. One pass over every client ranks them,
     * biggest first, and the evictions of the episode go down that ranking (a client that shrank meanwhile is
     * passed over), so evicting k of n clients costs one scan and a sort, not k scans: at 19,000 clients a scan per
     * eviction stalled every client for seconds.
     */
    private synchronized void evictWhileOver() {
        while (used.get() > limitBytes) {
            Usage[] ranked = clients.toArray(new Usage[0]);
            long[] sizes = new long[ranked.length];
            Integer[] order = new Integer[ranked.length];
            for (int i = 0; i < ranked.length; i++) {
                sizes[i] = ranked[i].bytes;
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Long.compare(sizes[b], sizes[a]));
            boolean evictedAny = false;
            for (int i = 0; i < order.length && used.get() > limitBytes; i++) {
                Usage u = ranked[order[i]];
                long held;
                synchronized (u) {
                    held = u.bytes;
                    if (u.evicted || held == 0) {
                        continue;
                    }
                    clients.remove(u);
                    used.addAndGet(-held);
                    u.bytes = 0;
                    u.evicted = true;
                }
                evictedAny = true;
                evictions.incrementAndGet();
                u.client.evict(Resp.error("client evicted: it held " + held + " bytes when all clients together held more than "
                        + limitBytes + " (--max-client-memory)"));
            }
            if (!evictedAny) {
                return; // nothing left to evict: what is over the limit is held by no client
            }
        }
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
