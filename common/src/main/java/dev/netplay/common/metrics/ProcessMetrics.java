package dev.netplay.common.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this JVM process costs right now: threads, memory, CPU. Unknown values are -1. */
public final class ProcessMetrics {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");
    /** Room for the files a JVM keeps open itself (jars, logs, epoll, pipes). */
    public static final int FILE_HEADROOM = 64;

    private ProcessMetrics() {
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    public static int threadsLive() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    public static int threadsPeak() {
        return ManagementFactory.getThreadMXBean().getPeakThreadCount();
    }

    public static long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** CPU time this process has used, user and system, in nanoseconds. */
    public static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU time of the calling thread (ns); -1 if the JVM does not measure it. */
    public static long threadCpuNanos() {
        var threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    }

    /** User and system CPU time of this process (ns), from /proc/self/stat (10 ms resolution); null if unknown. */
    public static long[] userSystemCpuNanos() {
        return ProcFiles.userSystemNanos(ProcFiles.read(Path.of("/proc/self/stat")));
    }

    /** The CPUs this process may run on; null if unknown (not Linux). */
    public static CpuList allowedCpus() {
        return ProcFiles.allowedCpus(ProcFiles.read(PROC_STATUS));
    }

    /** The soft open-file limit ({@code ulimit -n}) of this process. */
    public static long openFileLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return os.getMaxFileDescriptorCount();
        }
        return -1;
    }

    public static long openFiles() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return os.getOpenFileDescriptorCount();
        }
        return -1;
    }

    /**
     * Connections this process can hold: its open-file limit, less the files it already has open (jars, logs,
     * epoll and event descriptors: more on a long classpath) and {@link #FILE_HEADROOM} for files it opens later.
     * Past this, accept itself would fail with "too many open files" and a client could not even be told no.
     */
    public static int connectionCapacity() {
        long limit = openFileLimit();
        if (limit <= 0) {
            return 10_000;
        }
        long open = Math.max(0, openFiles());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit - open - FILE_HEADROOM));
    }

    /** Resident set size from VmRSS in /proc/self/status. The file is read whole: it is small, in procfs. */
    public static long rssBytes() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // the kernel reports kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    public static int availableProcessors() {
        return Runtime.getRuntime().availableProcessors();
    }

    public static int javaFeatureVersion() {
        return Runtime.version().feature();
    }
}
