package dev.netplay.common.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * This JVM's garbage-collection pauses and its live heap, from the collectors' notifications. Pauses are what the
 * JVM reports per collection (milliseconds, from the collection's start and end stamps: sums stay unbiased, one
 * pause is ±1 ms). Collectors whose notifications time a concurrent cycle rather than a pause (ZGC's and
 * Shenandoah's "Cycles") are not counted as pauses.
 */
public final class GcMonitor {
    private static final GcMonitor INSTANCE = new GcMonitor();
    /** Longest pause the histogram tells apart; longer ones are clamped. */
    private static final long MAX_PAUSE_MS = 3_600_000;

    private final ConcurrentHistogram pausesMs = new ConcurrentHistogram(MAX_PAUSE_MS, 2);
    private final AtomicLong pauseTotalMs = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final AtomicLong liveAfterGc = new AtomicLong(-1);
    private final Set<String> heapPools;

    private GcMonitor() {
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        onCollection(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
                    }
                }, null, null);
            }
        }
    }

    /** The monitor; listening from the first call on, so servers call it as they start. */
    public static GcMonitor get() {
        return INSTANCE;
    }

    private void onCollection(GarbageCollectionNotificationInfo info) {
        GcInfo gc = info.getGcInfo();
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : gc.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        liveAfterGc.set(used);
        if (info.getGcName().endsWith("Cycles")) {
            return; // a concurrent cycle, not a pause
        }
        long ms = Math.max(0, Math.min(MAX_PAUSE_MS, gc.getDuration()));
        pausesMs.recordValue(ms);
        pauseTotalMs.addAndGet(ms);
        collections.incrementAndGet();
    }

    /**
     * A full collection now, then the heap in use, which is then the live data: recorded at once, since the
     * collectors' notifications arrive later, on a thread of their own.
     */
    public long collectFully() {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        liveAfterGc.set(used);
        return used;
    }

    /** Pauses so far. */
    public long pauses() {
        return collections.get();
    }

    public long pauseTotalMillis() {
        return pauseTotalMs.get();
    }

    /** Every pause so far (ms), as a histogram: two readings subtract to a window's pauses. */
    public Histogram pauseHistogram() {
        return pausesMs.copy();
    }

    /** Heap in use right after the latest collection (bytes): the live data plus what that collection left; -1 before any. */
    public long liveHeapBytes() {
        return liveAfterGc.get();
    }

    public long heapMaxBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }
}
