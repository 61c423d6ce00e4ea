package dev.netplay.common.metrics;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel's scheduler did with this process's threads, from {@code /proc/self/task/*}: context switches
 * (each thread's {@code status}) and CPU and run-queue time (its {@code schedstat}). Each file costs the kernel
 * 10–25 µs to produce, so 19,000 threads would cost half a second of CPU per reading: it is read when asked
 * (INFO scheduler), never on a timer, and above {@link #EXACT_THREADS} threads it reads a fixed sample.
 *
 * <p>The sample: the {@link #ALWAYS_READ} lowest thread ids (the JVM's own threads, event loops, the acceptor: started
 * first) always, and of the rest every thread whose id is a multiple of a power-of-two stride chosen to read about
 * {@link #SAMPLE_TARGET} of them; their sums are scaled to the whole. Thread ids are handed out in order, so the
 * sample is spread over the threads' ages, and it stays the same set from one reading to the next while the thread
 * count stays within a power of two: the difference of two readings is then the sampled threads' own work, scaled.
 * A thread that exits between listing and reading is skipped; threads that exited took their counts with them.
 */
public final class ThreadScheduling {
    private static final Path TASKS = Path.of("/proc/self/task");
    /** Up to this many threads every one is read. */
    public static final int EXACT_THREADS = 1_024;
    /** Read in every reading: the process's first threads. */
    public static final int ALWAYS_READ = 64;
    /** About this many of the rest are read when there are more. */
    public static final int SAMPLE_TARGET = 1_000;
    private static final int READ_BUFFER_BYTES = 4_096;

    /**
     * @param threads       threads listed
     * @param threadsRead   threads read (all, or the sample)
     * @param stride        1 if every thread was read; else one in {@code stride} of the later threads
     * @param voluntary     context switches where a thread gave up the CPU (blocked, slept)
     * @param involuntary   context switches where the scheduler took the CPU away
     * @param runNanos      time on a CPU
     * @param waitNanos     time runnable but waiting on a run queue
     * @param readNanos     wall time this reading took
     * @param readCpuNanos  CPU time this reading cost the reading thread; -1 where the JVM does not measure it
     *                      (a virtual thread)
     */
    public record Totals(int threads, int threadsRead, int stride, long voluntary, long involuntary, long runNanos, long waitNanos,
                         long readNanos, long readCpuNanos) {
    }

    private ThreadScheduling() {
    }

    /** This process's threads; null where /proc is not there (not Linux). */
    public static Totals read() {
        return Files.isDirectory(TASKS) ? read(TASKS) : null;
    }

    /** The task directories under {@code tasks} (a /proc/PID/task, or a captured copy of one); null if unreadable. */
    public static Totals read(Path tasks) {
        long cpuStart = ProcessMetrics.threadCpuNanos();
        long start = System.nanoTime();
        List<Long> ids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks)) {
            for (Path task : dirs) {
                String name = task.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    ids.add(Long.parseLong(name));
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        ids.sort(null);
        int stride = stride(ids.size());
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        long[] always = new long[4];
        long[] sampled = new long[4];
        int alwaysRead = 0;
        int sampledRead = 0;
        int rest = Math.max(0, ids.size() - ALWAYS_READ);
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            boolean first = stride == 1 || i < ALWAYS_READ;
            if (!first && id % stride != 0) {
                continue;
            }
            Path task = tasks.resolve(Long.toString(id));
            String status = text(task.resolve("status"), buffer);
            long[] sched = ProcFiles.schedstat(text(task.resolve("schedstat"), buffer));
            long v = ProcFiles.statusNumber(status, "voluntary_ctxt_switches");
            long n = ProcFiles.statusNumber(status, "nonvoluntary_ctxt_switches");
            if (v < 0 || n < 0 || sched == null) {
                continue; // exited between the listing and the read
            }
            long[] sums = first ? always : sampled;
            sums[0] += v;
            sums[1] += n;
            sums[2] += sched[0];
            sums[3] += sched[1];
            if (first) {
                alwaysRead++;
            } else {
                sampledRead++;
            }
        }
        double scale = stride == 1 || sampledRead == 0 ? 0 : (double) rest / sampledRead;
        long cpuEnd = ProcessMetrics.threadCpuNanos();
        return new Totals(ids.size(), alwaysRead + sampledRead, stride,
                always[0] + Math.round(sampled[0] * scale), always[1] + Math.round(sampled[1] * scale),
                always[2] + Math.round(sampled[2] * scale), always[3] + Math.round(sampled[3] * scale),
                System.nanoTime() - start, cpuStart < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpuStart);
    }

    /** 1 up to {@link #EXACT_THREADS}; above, the power of two that samples about {@link #SAMPLE_TARGET} of the later threads. */
    public static int stride(int threads) {
        if (threads <= EXACT_THREADS) {
            return 1;
        }
        int wanted = (int) Math.ceil((double) (threads - ALWAYS_READ) / SAMPLE_TARGET);
        return wanted <= 1 ? 1 : Integer.highestOneBit(wanted - 1) << 1;
    }

    /** A small /proc file as text, read with one buffer (fewer system calls than Files.readAllBytes); null if gone. */
    private static String text(Path file, byte[] buffer) {
        try (InputStream in = new FileInputStream(file.toFile())) {
            int length = 0;
            int n;
            while (length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) > 0) {
                length += n;
            }
            return new String(buffer, 0, length, StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
