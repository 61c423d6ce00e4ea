package dev.netplay.common.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsers for the few {@code /proc} files netplay reads, kept apart from the reading so that they can be tested
 * on captured contents. Each returns -1 (or null) where the text lacks the field: an unknown, never a zero.
 */
public final class ProcFiles {
    /** The kernel's USER_HZ: the unit of /proc/stat and /proc/PID/stat times on every mainstream Linux. */
    public static final long USER_HZ = 100;
    public static final long NANOS_PER_TICK = 1_000_000_000L / USER_HZ;

    private ProcFiles() {
    }

    /** A file of /proc as text; null if it is gone (a thread or process that exited) or unreadable. */
    public static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** A {@code name:  value} field of a /proc status file, as a number (the first word of the value); -1 if absent. */
    public static long statusNumber(String status, String field) {
        String v = statusField(status, field);
        if (v == null) {
            return -1;
        }
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        return end == 0 ? -1 : Long.parseLong(v.substring(0, end));
    }

    /** A {@code name:  value} field of a /proc status file, trimmed; null if absent. */
    public static String statusField(String status, String field) {
        if (status == null) {
            return null;
        }
        String key = field + ":";
        int at = status.startsWith(key) ? 0 : status.indexOf("\n" + key);
        if (at < 0) {
            return null;
        }
        int start = at == 0 ? key.length() : at + 1 + key.length();
        int end = status.indexOf('\n', start);
        return status.substring(start, end < 0 ? status.length() : end).trim();
    }

    /**
     * {@code /proc/TID/schedstat}: time on the CPU (ns), time waiting on a run queue (ns), and time slices run.
     * Null if the text is not three numbers.
     */
    public static long[] schedstat(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.trim().split("\\s+");
        if (parts.length < 3) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * User and system CPU time (ns) from {@code /proc/PID/stat}: fields 14 and 15, counted after the command name,
     * which is in parentheses and may itself hold spaces and parentheses. Null if malformed.
     */
    public static long[] userSystemNanos(String stat) {
        String[] f = fieldsAfterName(stat);
        // f[0] is field 3 (state): utime is field 14, stime field 15.
        if (f == null || f.length < 13) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(f[11]) * NANOS_PER_TICK, Long.parseLong(f[12]) * NANOS_PER_TICK};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The fields of /proc/PID/stat after the command name (which is in parentheses and may hold either); null if malformed. */
    private static String[] fieldsAfterName(String stat) {
        int close = stat == null ? -1 : stat.lastIndexOf(')');
        return close < 0 ? null : stat.substring(close + 1).trim().split("\\s+");
    }

    /**
     * One CPU's line of /proc/stat, in ticks: busy (all but idle and iowait), total, and the part stolen by the
     * hypervisor (steal: this VM wanted the CPU and another guest had it).
     */
    public record CpuTicks(long busy, long total, long steal) {
    }

    /** PF_KTHREAD in the flags of /proc/PID/stat (field 9): the process is one of the kernel's own threads. */
    private static final long PF_KTHREAD = 0x00200000L;

    /**
     * Whether a /proc/PID/stat text is a kernel thread's (ksoftirqd, a kworker: they work for whoever made them work,
     * the load's own loopback traffic included). Null if malformed.
     */
    public static Boolean kernelThread(String stat) {
        String[] f = fieldsAfterName(stat);
        // f[0] is field 3 (state): flags is field 9
        if (f == null || f.length < 7) {
            return null;
        }
        try {
            return (Long.parseLong(f[6]) & PF_KTHREAD) != 0;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The CPU time (ns, user + system) of every user process in a /proc tree, by pid; kernel threads are left out.
     * A process that exits between two readings takes its time with it: an undercount of short-lived processes.
     */
    public static Map<Long, Long> userProcessNanos(Path proc) {
        Map<Long, Long> out = new LinkedHashMap<>();
        try (var entries = Files.newDirectoryStream(proc, e -> e.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : entries) {
                String stat = read(dir.resolve("stat"));
                long[] times = userSystemNanos(stat);
                if (times != null && Boolean.FALSE.equals(kernelThread(stat))) {
                    out.put(Long.parseLong(dir.getFileName().toString()), times[0] + times[1]);
                }
            }
        } catch (IOException | SecurityException | java.io.UncheckedIOException e) {
            return null;
        }
        return out;
    }

    /**
     * The CPU time (ns) user processes other than {@code excluded} used between two {@link #userProcessNanos} readings
     * (a new pid counted from zero); null if unknown. Both readings see every process at the same instants: a figure a
     * process gives of itself (INFO) is taken at other instants, and a loaded server answers INFO a second late.
     */
    public static Long processNanos(Map<Long, Long> before, Map<Long, Long> after, java.util.Set<Long> excluded) {
        if (before == null || after == null || after.isEmpty()) {
            return null;
        }
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            if (excluded.contains(e.getKey())) {
                continue;
            }
            // a pid reused by a new process reads less than before: count the new one from zero
            long was = before.getOrDefault(e.getKey(), 0L);
            sum += e.getValue() >= was ? e.getValue() - was : e.getValue();
        }
        return sum;
    }

    /** The per-CPU lines of /proc/stat ({@code cpu0}, {@code cpu1} ...), by CPU number; the summary line is skipped. */
    public static Map<Integer, CpuTicks> cpuTicks(String procStat) {
        Map<Integer, CpuTicks> out = new LinkedHashMap<>();
        if (procStat == null) {
            return out;
        }
        for (String line : procStat.split("\n")) {
            if (!line.startsWith("cpu") || line.length() < 4 || !Character.isDigit(line.charAt(3))) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            try {
                int cpu = Integer.parseInt(f[0].substring(3));
                long total = 0;
                // user nice system idle iowait irq softirq steal (guest time is already inside user)
                for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
                long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                out.put(cpu, new CpuTicks(total - idle, total, steal));
            } catch (RuntimeException e) {
                // a line this parser does not know: skip it
            }
        }
        return out;
    }

    /** The busy share (%) of the given CPUs between two /proc/stat readings; null if unknown. */
    public static Double busyPercent(Map<Integer, CpuTicks> before, Map<Integer, CpuTicks> after, CpuList cpus) {
        long busy = 0;
        long total = 0;
        for (int cpu : cpus.cpus()) {
            CpuTicks a = before.get(cpu);
            CpuTicks b = after.get(cpu);
            if (a == null || b == null) {
                return null;
            }
            busy += b.busy() - a.busy();
            total += b.total() - a.total();
        }
        return total <= 0 ? null : 100.0 * busy / total;
    }

    /** The share (%) of every CPU's time that the hypervisor gave to other guests between two readings; null if unknown. */
    public static Double stealPercent(Map<Integer, CpuTicks> before, Map<Integer, CpuTicks> after) {
        long steal = 0;
        long total = 0;
        for (Map.Entry<Integer, CpuTicks> e : after.entrySet()) {
            CpuTicks a = before.get(e.getKey());
            if (a == null) {
                return null;
            }
            steal += e.getValue().steal() - a.steal();
            total += e.getValue().total() - a.total();
        }
        return total <= 0 ? null : 100.0 * steal / total;
    }

    /** The CPUs a process may run on ({@code Cpus_allowed_list} of its status file); null if unknown. */
    public static CpuList allowedCpus(String status) {
        String v = statusField(status, "Cpus_allowed_list");
        if (v == null) {
            return null;
        }
        try {
            return CpuList.parse(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
