package dev.netplay.client.load.figures;

import dev.netplay.client.results.Bound;
import dev.netplay.client.results.Diagnosis;
import dev.netplay.common.metrics.CpuList;
import dev.netplay.common.metrics.HistogramText;
import dev.netplay.common.metrics.ProcFiles;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The level's diagnosis from made-up samples: every figure checked against arithmetic done by hand. */
class LevelCostsTest {
    private static final Map<Integer, ProcFiles.CpuTicks> STAT_START = Map.of(0, new ProcFiles.CpuTicks(0, 0, 0),
            1, new ProcFiles.CpuTicks(0, 0, 0));
    /** CPU 0 (client) 40% busy, CPU 1 (server) 97% busy; the rest of CPU 0's busy time was interrupts. */
    private static final Map<Integer, ProcFiles.CpuTicks> STAT_END = Map.of(0, new ProcFiles.CpuTicks(400, 1000, 0),
            1, new ProcFiles.CpuTicks(970, 1000, 0));

    private static Map<String, String> info(long commands, long uptimeMs, long cpuNs, long userNs, long sysNs, long pauseMs,
                                            Histogram pauses, Histogram overshoot, long voluntary, long involuntary, long waitNs,
                                            long readCpuNs) {
        Map<String, String> m = new HashMap<>();
        m.put("total_commands_processed", Long.toString(commands));
        m.put("uptime_ms", Long.toString(uptimeMs));
        m.put("process_cpu_ns", Long.toString(cpuNs));
        m.put("process_cpu_user_ns", Long.toString(userNs));
        m.put("process_cpu_sys_ns", Long.toString(sysNs));
        m.put("gc_pause_total_ms", Long.toString(pauseMs));
        m.put("gc_pause_hist", HistogramText.encode(pauses));
        m.put("sleep_overshoot_hist", HistogramText.encode(overshoot));
        m.put("ctx_switches_voluntary", Long.toString(voluntary));
        m.put("ctx_switches_involuntary", Long.toString(involuntary));
        m.put("runqueue_wait_ns", Long.toString(waitNs));
        m.put("sched_threads", "19008");
        m.put("sched_read_ns", "30000000");
        m.put("sched_read_cpu_ns", Long.toString(readCpuNs));
        return m;
    }

    @Test
    void aCpuBoundThreadServerIsExplained() {
        Histogram pauses = new Histogram(3_600_000, 2);
        Histogram overshoot = new Histogram(60_000_000, 2);
        pauses.recordValue(3);
        Map<String, String> start = info(1_000, 10_000, 5_000_000_000L, 3_000_000_000L, 2_000_000_000L, 3, pauses, overshoot, 500, 100, 0, 20_000_000);
        for (int i = 0; i < 99; i++) {
            overshoot.recordValue(2_000); // 2 ms late
        }
        overshoot.recordValue(300_000); // one 300 ms late
        pauses.recordValue(12);
        pauses.recordValue(40);
        // 10 s on the server's clock, 100,000 more commands, 9.7 s more CPU of which 20 ms was the end edge's read
        Map<String, String> end = info(101_000, 20_000, 14_700_000_000L, 8_000_000_000L, 6_700_000_000L, 55, pauses, overshoot,
                300_500, 100_100, 4_000_000_000L, 20_000_000);
        Map<String, String> idle = Map.of("heap_live_bytes", Long.toString(10L << 20));
        Map<String, String> purged = Map.of("heap_live_bytes", Long.toString((10L << 20) + 19_000L * 4096));

        // 0.2 s of other user processes
        Diagnosis d = LevelCosts.diagnose(new LevelCosts.Edges(idle, start, end, purged, CpuList.parse("1"), CpuList.parse("0"),
                STAT_START, STAT_END, 2_000_000_000L, 10.0, 19_000, 200_000_000L, null, null, 0));

        assertThat(d.placement().serverCpus()).isEqualTo("1");
        assertThat(d.placement().clientCpus()).isEqualTo("0");
        assertThat(d.busy().machineCpuPercent()).isEqualTo(68.5);
        assertThat(d.busy().serverCoresPercent()).isEqualTo(97.0);
        assertThat(d.busy().clientCoresPercent()).isEqualTo(40.0);
        assertThat(d.serverCpuPercent()).isEqualTo(96.8); // (9.7 s - 20 ms) / 10 s on one CPU
        assertThat(d.clientCpuPercent()).isEqualTo(20.0);
        assertThat(d.bound()).isEqualTo(Bound.SERVER_CPU);
        assertThat(d.busy().otherCpuPercent()).as("0.2 s of others over 10 s").isEqualTo(2.0);
        assertThat(d.busy().stealPercent()).isEqualTo(0.0);
        assertThat(d.serverUserUsPerReq()).isEqualTo(50.0); // 5 s / 100,000
        assertThat(d.serverSysUsPerReq()).isEqualTo(46.8); // (4.7 s - 20 ms) / 100,000
        assertThat(d.serverCpuUsPerRequest()).as("the summary's CPU: the same edges, the same count, user + system")
                .isEqualTo(96.8); // (9.7 s - 20 ms) / 100,000
        assertThat(d.gcPauseMsPerS()).isEqualTo(5.2); // 52 ms / 10 s
        assertThat(d.jvm().gcMaxPauseMs()).isCloseTo(40.0, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(d.liveHeapKibPerConn()).isEqualTo(4.0);
        assertThat(d.jvm().liveHeapMib()).isEqualTo(84.22);
        assertThat(d.ctxSwitchesPerReq()).isEqualTo(4.0); // (300,000 + 100,000) / 100,000
        assertThat(d.process().involuntaryPerReq()).isEqualTo(1.0);
        assertThat(d.runqueueWaitUsPerReq()).isEqualTo(40.0);
        // HdrHistogram keeps 2 significant digits: a value comes back within 1% of what was recorded
        assertThat(d.jvm().sleepOvershootP50Ms()).isCloseTo(2.0, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(d.jvm().sleepOvershootP99Ms()).isCloseTo(2.0, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(d.process().schedThreads()).isEqualTo(19_008);
        assertThat(d.process().schedReadCpuMs()).isEqualTo(20.0);
    }

    @Test
    void aServerThatReportsNoneOfThisGetsUnknownsNotZeros() {
        // redis-server: INFO without netplay's fields, and no pid to find its CPUs by
        Map<String, String> redis = Map.of("total_commands_processed", "5", "uptime_in_seconds", "9");
        Diagnosis d = LevelCosts.diagnose(new LevelCosts.Edges(Map.of(), redis, Map.of("total_commands_processed", "1005"), Map.of(),
                null, CpuList.parse("0-1"), STAT_START, STAT_END, 1_000_000_000L, 10.0, 100));
        assertThat(d.placement().serverCpus()).isNull();
        assertThat(d.serverCpuPercent()).isNull();
        assertThat(d.serverUserUsPerReq()).isNull();
        assertThat(d.serverCpuUsPerRequest()).isNull();
        assertThat(d.gcPauseMsPerS()).isNull();
        assertThat(d.jvm().gcMaxPauseMs()).isNull();
        assertThat(d.liveHeapKibPerConn()).isNull();
        assertThat(d.ctxSwitchesPerReq()).isNull();
        assertThat(d.runqueueWaitUsPerReq()).isNull();
        assertThat(d.jvm().sleepOvershootP50Ms()).isNull();
        assertThat(d.clientCpuPercent()).isEqualTo(5.0);
        assertThat(d.bound()).isEqualTo(Bound.NONE);
    }

    @Test
    void aWindowWithoutPausesOrSleepsSaysSo() {
        Histogram none = new Histogram(2);
        Map<String, String> a = info(10, 0, 0, 0, 0, 7, none, none, 0, 0, 0, 0);
        Map<String, String> b = info(20, 1_000, 1_000_000, 500_000, 500_000, 7, none, none, 10, 0, 0, 0);
        Diagnosis d = LevelCosts.diagnose(new LevelCosts.Edges(Map.of(), a, b, Map.of(), CpuList.parse("1"), CpuList.parse("0"),
                STAT_START, STAT_START, 0, 1.0, 10));
        assertThat(d.gcPauseMsPerS()).isEqualTo(0.0);
        assertThat(d.jvm().gcMaxPauseMs()).as("measured: no pause").isEqualTo(0.0);
        assertThat(d.jvm().sleepOvershootP50Ms()).as("no SLEEP in the window: unknown").isNull();
        assertThat(d.busy().machineCpuPercent()).as("no ticks passed").isNull();
        assertThat(d.ctxSwitchesPerReq()).isEqualTo(1.0);
    }

    /** Other processes at the mark, or steal, or the client's lag: the level is labelled for them, the probe's PINGs left out. */
    @Test
    void aDisturbedLevelIsLabelledAndTheProbesPingsAreNotTheLoads() {
        Histogram none = new Histogram(2);
        Map<String, String> a = info(0, 0, 0, 0, 0, 0, none, none, 0, 0, 0, 0);
        // 10 s, 1,100 commands of which 100 the probe's; the server used 1 s of CPU
        Map<String, String> b = info(1_100, 10_000, 1_000_000_000L, 800_000_000L, 200_000_000L, 0, none, none, 0, 0, 0, 0);
        Map<Integer, ProcFiles.CpuTicks> start = Map.of(0, new ProcFiles.CpuTicks(0, 0, 0), 1, new ProcFiles.CpuTicks(0, 0, 0));
        // other user processes 1.0 s in 10 s; steal 2% of 2,000 ticks
        Map<Integer, ProcFiles.CpuTicks> end = Map.of(0, new ProcFiles.CpuTicks(300, 1000, 20), 1, new ProcFiles.CpuTicks(120, 1000, 20));
        Diagnosis d = LevelCosts.diagnose(new LevelCosts.Edges(Map.of(), a, b, Map.of(), CpuList.parse("1"), CpuList.parse("0"),
                start, end, 1_000_000_000L, 10.0, 1_000, 1_000_000_000L, 1.0, 2.0, 100));
        assertThat(d.busy().otherCpuPercent()).isEqualTo(10.0);
        assertThat(d.busy().stealPercent()).isEqualTo(2.0);
        assertThat(d.bound()).as("others at 10% of a CPU").isEqualTo(Bound.MACHINE);
        assertThat(d.serverUserUsPerReq()).as("800 ms over the load's 1,000 requests, not 1,100").isEqualTo(800.0);

        Diagnosis unknownBackend = LevelCosts.diagnose(new LevelCosts.Edges(Map.of(), a, b, Map.of(), CpuList.parse("1"),
                CpuList.parse("0"), start, end, 1_000_000_000L, 10.0, 1_000, null, 1.0, 60.0, 100));
        assertThat(unknownBackend.busy().otherCpuPercent()).as("others not read: unknown, not zero").isNull();
        assertThat(unknownBackend.bound()).as("the client lagged 60 ms at p99").isEqualTo(Bound.CLIENT_LAG);
        assertThat(unknownBackend.busy().clientLagP99Ms()).isEqualTo(60.0);
    }

    /**
     * A server that runs here and whose pid is known (compare started it): its process figures come from the kernel's
     * files for it, whatever its INFO says, and over the client's count of requests where it counts none.
     */
    @Test
    void aLocalProcessIsReadFromTheKernelWhateverItReportsOfItself() {
        // 1,000 requests in 10 s; 600 ms user and 400 ms system CPU; 3,000 switches, 1,000 of them involuntary; 50 ms queued
        dev.netplay.common.metrics.ProcessSnapshot a = new dev.netplay.common.metrics.ProcessSnapshot(1_000_000_000L,
                500_000_000L, 30L << 20, 5, new dev.netplay.common.metrics.ThreadScheduling.Totals(5, 5, 1, 100, 10, 0, 0, 1_000, 900));
        dev.netplay.common.metrics.ProcessSnapshot b = new dev.netplay.common.metrics.ProcessSnapshot(1_600_000_000L,
                900_000_000L, 40L << 20, 7, new dev.netplay.common.metrics.ThreadScheduling.Totals(7, 7, 1, 2_100, 1_010, 0,
                50_000_000L, 2_000, 1_800));
        // what a Python server's INFO says: no netplay scheduler fields, no command count
        Map<String, String> info = Map.of("process_cpu_ns", "999999999999");
        Diagnosis d = LevelCosts.diagnose(new LevelCosts.Edges(Map.of(), info, info, Map.of(), CpuList.parse("1"), CpuList.parse("0"),
                STAT_START, STAT_END, 1_000_000_000L, 10.0, 100, null, null, null, 0, a, b, 1_000));
        assertThat(d.process().processSource()).isEqualTo(LevelCosts.PROC);
        assertThat(d.serverCpuUsPerRequest()).as("1 s of CPU over 1,000 requests").isEqualTo(1_000.0);
        assertThat(d.serverUserUsPerReq()).isEqualTo(600.0);
        assertThat(d.serverSysUsPerReq()).isEqualTo(400.0);
        assertThat(d.ctxSwitchesPerReq()).isEqualTo(3.0);
        assertThat(d.process().involuntaryPerReq()).isEqualTo(1.0);
        assertThat(d.runqueueWaitUsPerReq()).isEqualTo(50.0);
        assertThat(d.process().schedThreads()).isEqualTo(7);
        assertThat(d.serverCpuPercent()).as("1 s in 10 s on one CPU").isEqualTo(10.0);
        assertThat(d.process().schedReadCpuMs()).as("the client's read costs the server nothing").isNull();

        Diagnosis fromInfo = LevelCosts.diagnose(new LevelCosts.Edges(Map.of(), info, info, Map.of(), CpuList.parse("1"),
                CpuList.parse("0"), STAT_START, STAT_END, 1_000_000_000L, 10.0, 100));
        assertThat(fromInfo.process().processSource()).as("no pid: its INFO is all there is").isEqualTo(LevelCosts.INFO);
        assertThat(fromInfo.serverCpuUsPerRequest()).isNull();
    }
}
