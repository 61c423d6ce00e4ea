package dev.netplay.client.results;

/**
 * Why a level looks as it does: where each role ran, how busy its CPUs were, and what the server's time went to.
 * Sampled at the measured window's edges; null where unknown (a server that does not report it, e.g. redis-server),
 * never a made-up zero. Per-request figures divide by the server's own command count over the same edges.
 *
 * @param serverCpus           the CPUs the server may use (its Cpus_allowed_list), null if it is not on this machine
 * @param clientCpus           the CPUs the load client may use
 * @param machineCpuPercent    every CPU's busy share (/proc/stat)
 * @param serverCoresPercent   the server's CPUs' busy share (/proc/stat: any process, interrupts included)
 * @param clientCoresPercent   the client's CPUs' busy share
 * @param serverCpuPercent     the server process's CPU time, % of its CPUs
 * @param clientCpuPercent     the client process's CPU time, % of its CPUs
 * @param bound                what limited the level; results.json has its label
 * @param serverUserUsPerReq   server CPU in user mode per request (µs)
 * @param serverSysUsPerReq    server CPU in the kernel per request (µs)
 * @param gcPauseMsPerS        GC pause time per second of window
 * @param gcMaxPauseMs         longest GC pause in the window (0 if none)
 * @param liveHeapMib          heap after a full collection at the level's end
 * @param liveHeapKibPerConn   (that - the same before any load) / connections
 * @param ctxSwitchesPerReq    voluntary + involuntary context switches, summed over the server's threads, per request
 * @param involuntaryPerReq    the involuntary part: the scheduler took the CPU away
 * @param runqueueWaitUsPerReq time the server's threads waited runnable for a CPU, per request (µs)
 * @param sleepOvershootP50Ms  how late SLEEPs resumed on the server, median
 * @param sleepOvershootP99Ms  the same, 99th percentile
 * @param schedThreads         threads whose counters were read at the window's end
 * @param schedReadMs          wall time the server spent reading its threads' counters at one edge
 * @param schedReadCpuMs       CPU time that read cost (excluded from the server's CPU figures)
 * @param stealPercent         share of the machine's CPU time the hypervisor gave to other guests (/proc/stat steal)
 * @param otherCpuPercent      CPU that processes other than the server, the load client and the backend used, % of one
 *                             CPU (every user process's /proc/PID/stat times but those three's; kernel threads left
 *                             out: ksoftirqd and kworkers work for the load's own loopback traffic)
 * @param clientLagP50Ms       the load client's lag, median: open model, how late each send left against its plan;
 *                             closed model, how late its event loops ran what was due
 * @param clientLagP99Ms       the same, 99th percentile
 */
public record Diagnosis(String serverCpus, String clientCpus, Double machineCpuPercent, Double serverCoresPercent,
                        Double clientCoresPercent, Double serverCpuPercent, Double clientCpuPercent, Bound bound,
                        Double serverUserUsPerReq, Double serverSysUsPerReq, Double gcPauseMsPerS, Double gcMaxPauseMs,
                        Double liveHeapMib, Double liveHeapKibPerConn, Double ctxSwitchesPerReq, Double involuntaryPerReq,
                        Double runqueueWaitUsPerReq, Double sleepOvershootP50Ms, Double sleepOvershootP99Ms,
                        Long schedThreads, Double schedReadMs, Double schedReadCpuMs, Double stealPercent,
                        Double otherCpuPercent, Double clientLagP50Ms, Double clientLagP99Ms) {
}
