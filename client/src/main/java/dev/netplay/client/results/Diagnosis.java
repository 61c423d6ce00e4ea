package dev.netplay.client.results;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * Why a level looks as it does, in four groups, one per concern and each computed in one place
 * ({@code LevelCosts}): where each role ran, what was busy (and so what bound the level), what the server process cost
 * the kernel, and what only a JVM knows. results.json has them flat, inside the level's {@code diagnosis} object.
 * Sampled at the measured window's edges; null where unknown (a server that does not report it, e.g. redis-server),
 * never a made-up zero. Per-request figures divide by the server's own command count over the same edges, the
 * probe's PINGs left out.
 *
 * <p>A new figure of the diagnosis is a component of its group, its arithmetic in that group's method of
 * {@code LevelCosts}, and its line in {@link Figures}: no other code lists the components.
 */
public record Diagnosis(@JsonUnwrapped Placement placement, @JsonUnwrapped Busy busy, @JsonUnwrapped ProcessCosts process,
                        @JsonUnwrapped JvmCosts jvm) {

    /**
     * Where each role ran.
     *
     * @param serverCpus the CPUs the server may use (its Cpus_allowed_list), null if it is not on this machine
     * @param clientCpus the CPUs the load client may use
     */
    public record Placement(String serverCpus, String clientCpus) {
    }

    /**
     * What was busy over the window, and so what bound the level.
     *
     * @param machineCpuPercent  every CPU's busy share (/proc/stat)
     * @param serverCoresPercent the server's CPUs' busy share (/proc/stat: any process, interrupts included)
     * @param clientCoresPercent the client's CPUs' busy share
     * @param serverCpuPercent   the server process's CPU time, % of its CPUs
     * @param clientCpuPercent   the client process's CPU time, % of its CPUs
     * @param bound              what limited the level; results.json has its label
     * @param stealPercent       share of the machine's CPU time the hypervisor gave to other guests (/proc/stat steal)
     * @param otherCpuPercent    CPU that processes other than the server, the load client and the backend used, % of
     *                           one CPU (every user process's /proc/PID/stat times but those three's; kernel threads
     *                           left out: ksoftirqd and kworkers work for the load's own loopback traffic)
     * @param clientLagP50Ms     the load client's lag, median: open model, how late each send left against its plan;
     *                           closed model, how late its event loops ran what was due
     * @param clientLagP99Ms     the same, 99th percentile
     */
    public record Busy(Double machineCpuPercent, Double serverCoresPercent, Double clientCoresPercent, Double serverCpuPercent,
                       Double clientCpuPercent, Bound bound, Double stealPercent, Double otherCpuPercent, Double clientLagP50Ms,
                       Double clientLagP99Ms) {
    }

    /**
     * What the server process cost, as the kernel counts it, per request.
     *
     * @param serverCpuUsPerRequest server CPU (user + system) per request (µs): the summary's CPU figure
     * @param serverUserUsPerReq    the part in user mode (µs)
     * @param serverSysUsPerReq     the part in the kernel (µs)
     * @param ctxSwitchesPerReq     voluntary + involuntary context switches, summed over the server's threads
     * @param involuntaryPerReq     the involuntary part: the scheduler took the CPU away
     * @param runqueueWaitUsPerReq  time the server's threads waited runnable for a CPU (µs)
     * @param schedThreads          the process's threads at the window's end
     * @param schedReadMs           wall time the server spent reading its threads' counters at one edge
     * @param schedReadCpuMs        CPU time that read cost the server (excluded from its CPU figures)
     * @param processSource         where these came from: {@code proc}, the kernel's files for the process, read by the
     *                              client where the server runs on its machine; {@code info}, the server's own INFO
     */
    public record ProcessCosts(Double serverCpuUsPerRequest, Double serverUserUsPerReq, Double serverSysUsPerReq,
                               Double ctxSwitchesPerReq, Double involuntaryPerReq, Double runqueueWaitUsPerReq,
                               Long schedThreads, Double schedReadMs, Double schedReadCpuMs, String processSource) {
    }

    /**
     * What only a JVM server reports: null elsewhere.
     *
     * @param gcPauseMsPerS       GC pause time per second of window
     * @param gcMaxPauseMs        longest GC pause in the window (0 if none)
     * @param liveHeapMib         heap after a full collection at the level's end
     * @param liveHeapKibPerConn  (that - the same before any load) / connections
     * @param sleepOvershootP50Ms how late SLEEPs resumed on the server, median
     * @param sleepOvershootP99Ms the same, 99th percentile
     */
    public record JvmCosts(Double gcPauseMsPerS, Double gcMaxPauseMs, Double liveHeapMib, Double liveHeapKibPerConn,
                           Double sleepOvershootP50Ms, Double sleepOvershootP99Ms) {
    }

    // The figures read most, by name, through their groups.

    public Bound bound() {
        return busy.bound();
    }

    public Double serverCpuPercent() {
        return busy.serverCpuPercent();
    }

    public Double clientCpuPercent() {
        return busy.clientCpuPercent();
    }

    public Double serverCpuUsPerRequest() {
        return process.serverCpuUsPerRequest();
    }

    public Double serverUserUsPerReq() {
        return process.serverUserUsPerReq();
    }

    public Double serverSysUsPerReq() {
        return process.serverSysUsPerReq();
    }

    public Double ctxSwitchesPerReq() {
        return process.ctxSwitchesPerReq();
    }

    public Double runqueueWaitUsPerReq() {
        return process.runqueueWaitUsPerReq();
    }

    public Double gcPauseMsPerS() {
        return jvm.gcPauseMsPerS();
    }

    public Double liveHeapKibPerConn() {
        return jvm.liveHeapKibPerConn();
    }
}
