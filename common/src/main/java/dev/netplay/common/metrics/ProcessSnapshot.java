package dev.netplay.common.metrics;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One reading of a process on this machine, from the kernel's own files under {@code /proc/PID}: its CPU time in user
 * and system mode ({@code stat}, in ticks of 10 ms), its resident memory and thread count ({@code status}), and what the
 * scheduler did with its threads ({@code task/*}, as {@link ThreadScheduling} reads them). It works for any process,
 * a JVM, CPython or redis-server alike: the one source of a local server's process figures. The reading costs the
 * reader, not the process read.
 *
 * @param userNanos   CPU time in user mode
 * @param systemNanos CPU time in the kernel
 * @param rssBytes    resident set size (VmRSS); -1 if unknown
 * @param threads     the process's threads (Threads)
 * @param scheduling  its threads' context switches and run-queue time; null if unreadable
 */
public record ProcessSnapshot(long userNanos, long systemNanos, long rssBytes, long threads, ThreadScheduling.Totals scheduling) {
    private static final long BYTES_PER_KIB = 1024;
    private static final Path PROC = Path.of("/proc");

    /** Process {@code pid} now; null if it is gone or this is not Linux. */
    public static ProcessSnapshot read(long pid) {
        return read(PROC.resolve(Long.toString(pid)));
    }

    /** The process whose /proc directory (or a captured copy of one) is {@code dir}; null if it is gone. */
    public static ProcessSnapshot read(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        long[] cpu = ProcFiles.userSystemNanos(ProcFiles.read(dir.resolve("stat")));
        String status = ProcFiles.read(dir.resolve("status"));
        if (cpu == null || status == null) {
            return null; // it exited between two reads
        }
        long rssKib = ProcFiles.statusNumber(status, "VmRSS");
        return new ProcessSnapshot(cpu[0], cpu[1], rssKib < 0 ? -1 : rssKib * BYTES_PER_KIB,
                ProcFiles.statusNumber(status, "Threads"), ThreadScheduling.read(dir.resolve("task")));
    }

    /** User and system CPU together. */
    public long cpuNanos() {
        return userNanos + systemNanos;
    }
}
