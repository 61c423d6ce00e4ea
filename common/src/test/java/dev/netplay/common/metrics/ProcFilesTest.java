package dev.netplay.common.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The /proc parsers, on contents captured from Linux 6.x. */
class ProcFilesTest {
    static final String STATUS = """
            Name:\tnetplay-conn-1
            Umask:\t0022
            State:\tS (sleeping)
            Tgid:\t1098
            Pid:\t1201
            VmRSS:\t  123456 kB
            Threads:\t19008
            Cpus_allowed:\t2
            Cpus_allowed_list:\t1
            voluntary_ctxt_switches:\t132
            nonvoluntary_ctxt_switches:\t13
            """;

    @Test
    void statusFieldsAreReadByName() {
        assertThat(ProcFiles.statusNumber(STATUS, "voluntary_ctxt_switches")).isEqualTo(132);
        assertThat(ProcFiles.statusNumber(STATUS, "nonvoluntary_ctxt_switches")).isEqualTo(13);
        assertThat(ProcFiles.statusNumber(STATUS, "VmRSS")).isEqualTo(123456);
        assertThat(ProcFiles.statusNumber(STATUS, "Name")).as("unknown, never zero").isEqualTo(-1);
        assertThat(ProcFiles.statusNumber(STATUS, "VmSwap")).isEqualTo(-1);
        assertThat(ProcFiles.statusNumber(null, "VmRSS")).isEqualTo(-1);
        assertThat(ProcFiles.allowedCpus(STATUS)).hasToString("1");
    }

    @Test
    void schedstatIsRunTimeWaitTimeAndSlices() {
        assertThat(ProcFiles.schedstat("56631043 20322787 145\n")).containsExactly(56631043, 20322787, 145);
        assertThat(ProcFiles.schedstat("")).isNull();
        assertThat(ProcFiles.schedstat(null)).as("a thread that exited").isNull();
        assertThat(ProcFiles.schedstat("1 x 3")).isNull();
    }

    @Test
    void statTimesAreCountedAfterTheCommandNameEvenWithSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 9087 0 12 0 150 25 0 0 20 0 19 0 1234 0 0";
        long[] userSys = ProcFiles.userSystemNanos(stat);
        assertThat(userSys).containsExactly(150 * ProcFiles.NANOS_PER_TICK, 25 * ProcFiles.NANOS_PER_TICK);
        assertThat(ProcFiles.userSystemNanos("garbage")).isNull();
    }

    /** Captured from Linux 6.18: ksoftirqd and kthreadd carry PF_KTHREAD in their flags, init does not. */
    static final String KSOFTIRQD = "22 (ksoftirqd/1) S 2 0 0 0 -1 69238848 0 0 0 0 700 300 0 0 20 0 1 0 24 0 0 "
            + "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0";
    static final String INIT = "1 (process_api) S 0 0 0 0 -1 4194560 15760 276610 0 137 24 117 653 340 10 -10 14 0 24 "
            + "40493056 2247 18446744073709551615 1 1 0 0 0 0 0 4096 1256 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0";

    @Test
    void kernelThreadsAreToldApartByTheirFlags() {
        assertThat(ProcFiles.kernelThread(KSOFTIRQD)).isTrue();
        assertThat(ProcFiles.kernelThread(INIT)).isFalse();
        assertThat(ProcFiles.kernelThread("7 (x) S 1")).as("too short").isNull();
        assertThat(ProcFiles.kernelThread(null)).isNull();
    }

    /** The others' CPU counts user processes only: a kernel thread's ticks are the load's own (loopback softirqs). */
    @Test
    void userProcessesTimeLeavesKernelThreadsOutAndCountsANewPidFromZero(@TempDir Path proc) throws IOException {
        write(proc, 1, INIT);
        write(proc, 22, KSOFTIRQD);
        Files.createDirectories(proc.resolve("self")); // not a pid
        Map<Long, Long> before = ProcFiles.userProcessNanos(proc);
        assertThat(before).containsOnlyKeys(1L).containsEntry(1L, (24 + 117) * ProcFiles.NANOS_PER_TICK);

        write(proc, 1, INIT.replace(" 24 117 ", " 74 167 ")); // +100 ticks
        write(proc, 22, KSOFTIRQD.replace(" 700 300 ", " 9700 300 "));
        write(proc, 40, INIT.replace("1 (process_api)", "40 (sh)").replace(" 24 117 ", " 3 2 "));
        Map<Long, Long> after = ProcFiles.userProcessNanos(proc);
        assertThat(ProcFiles.processNanos(before, after, Set.of())).as("init's 100 ticks and the new shell's 5, not ksoftirqd's 9,000")
                .isEqualTo(105 * ProcFiles.NANOS_PER_TICK);
        assertThat(ProcFiles.processNanos(before, after, Set.of(1L))).as("ours left out: the shell's 5")
                .isEqualTo(5 * ProcFiles.NANOS_PER_TICK);
        assertThat(ProcFiles.processNanos(after, before, Set.of())).as("pid 1 reads less: a new process, counted from zero")
                .isEqualTo(141 * ProcFiles.NANOS_PER_TICK);
        assertThat(ProcFiles.processNanos(null, after, Set.of())).isNull();
        assertThat(ProcFiles.userProcessNanos(proc.resolve("missing"))).isNull();
    }

    private static void write(Path proc, long pid, String stat) throws IOException {
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(proc.resolve(pid + "/stat"), stat);
    }

    @Test
    void procStatGivesEachCpusBusyShare() {
        String before = """
                cpu  2000 0 1000 16000 100 0 20 0 0 0
                cpu0 1000 0 500 8000 50 0 10 0 0 0
                cpu1 1000 0 500 8000 50 0 10 0 0 0
                intr 12345
                """;
        String after = """
                cpu  2000 0 1000 16000 100 0 20 0 0 0
                cpu0 1090 0 500 8010 50 0 10 0 0 0
                cpu1 1010 0 505 8085 50 0 10 0 0 0
                """;
        Map<Integer, ProcFiles.CpuTicks> a = ProcFiles.cpuTicks(before);
        Map<Integer, ProcFiles.CpuTicks> b = ProcFiles.cpuTicks(after);
        assertThat(a).containsOnlyKeys(0, 1);
        assertThat(ProcFiles.busyPercent(a, b, CpuList.parse("0"))).isEqualTo(90.0);
        assertThat(ProcFiles.busyPercent(a, b, CpuList.parse("1"))).isEqualTo(15.0);
        assertThat(ProcFiles.busyPercent(a, b, CpuList.parse("0-1"))).isEqualTo(52.5);
        assertThat(ProcFiles.busyPercent(a, b, CpuList.parse("2"))).as("a CPU /proc/stat does not list").isNull();
    }

    @Test
    void procStatGivesTheStolenShare() {
        // captured from this kind of machine, then advanced by hand: user nice system idle iowait irq softirq steal
        String before = """
                cpu  1447472 521 555521 2017783 14392 0 201499 41093 0 0
                cpu0 685979 239 274620 1041686 6058 0 105734 22590 0 0
                cpu1 761492 282 280900 976097 8334 0 95765 18503 0 0
                """;
        String after = """
                cpu  1447472 521 555521 2017783 14392 0 201499 41093 0 0
                cpu0 686379 239 274720 1041936 6058 0 105934 22640 0 0
                cpu1 761892 282 281000 976347 8334 0 95765 18553 0 0
                """;
        Map<Integer, ProcFiles.CpuTicks> a = ProcFiles.cpuTicks(before);
        Map<Integer, ProcFiles.CpuTicks> b = ProcFiles.cpuTicks(after);
        // cpu0: 400 user + 100 system + 250 idle + 200 softirq + 50 steal = 1000 ticks; cpu1: 400 + 100 + 250 + 50 = 800
        assertThat(ProcFiles.stealPercent(a, b)).isEqualTo(100.0 * 100 / 1800);
        assertThat(ProcFiles.busyPercent(a, b, CpuList.parse("1"))).isEqualTo(100.0 * 550 / 800);
        assertThat(ProcFiles.stealPercent(a, Map.of())).as("nothing after: no share").isNull();
        assertThat(ProcFiles.stealPercent(Map.of(), b)).as("a CPU missing before").isNull();
    }
}
