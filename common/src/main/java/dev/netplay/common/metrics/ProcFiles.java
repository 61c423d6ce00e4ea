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
        if (stat == null) {
            return null;
        }
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state): utime is field 14, stime field 15.
        if (f.length < 13) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(f[11]) * NANOS_PER_TICK, Long.parseLong(f[12]) * NANOS_PER_TICK};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * One CPU's line of /proc/stat, in ticks: busy (all but idle and iowait), total, the part stolen by the hypervisor
     * (steal: this VM wanted the CPU and another guest had it), and the part spent in processes (user, nice, system:
     * interrupts, where much of the loopback network stack runs, belong to no process).
     */
    public record CpuTicks(long busy, long total, long steal, long processes) {
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
                long processes = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]);
                out.put(cpu, new CpuTicks(total - idle, total, steal, processes));
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

    /** CPU time (ns) every process on the machine used between two readings, summed over the CPUs; null if unknown. */
    public static Long processNanos(Map<Integer, CpuTicks> before, Map<Integer, CpuTicks> after) {
        long ticks = 0;
        for (Map.Entry<Integer, CpuTicks> e : after.entrySet()) {
            CpuTicks a = before.get(e.getKey());
            if (a == null) {
                return null;
            }
            ticks += e.getValue().processes() - a.processes();
        }
        return after.isEmpty() ? null : ticks * NANOS_PER_TICK;
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
