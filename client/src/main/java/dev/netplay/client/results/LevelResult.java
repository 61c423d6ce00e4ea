package dev.netplay.client.results;

import java.util.List;
import java.util.Map;

/**
 * The figures of one target at one connection level. Times in ms, rates per second; null where unknown
 * (e.g. server figures of a server that does not report them).
 *
 * @param connectFailures       failed connects by cause: refused, timed_out, reset, err_from_server, other
 * @param errors                failed requests by kind: wrong_reply, server_error, closed_mid_request, timeouts
 * @param latencyDistribution   [percentile, ms] points of the measured window, for percentile plots
 * @param uncorrected           open model only: latency from the actual send (hides queueing before the send)
 * @param serverKibPerConnection (peak RSS during the window - RSS before any load) / connections
 * @param serverCommandsRps     the server's own count of commands (INFO total_commands_processed) over the window,
 *                              a check on the client's count; includes the sampler's INFO requests
 * @param diagnosis             why the level looks as it does: CPUs and their load, GC, scheduler, SLEEP overshoot
 */
public record LevelResult(
        int connections, int connectionsEstablished, long connectsAttempted, long connectsFailed,
        Map<String, Long> connectFailures, Double connectP50Ms, Double connectP99Ms, Double connectMaxMs,
        double windowSeconds, long requests, double throughputRps, Double idealRps, Double achievedRatio,
        Latency latency, Latency uncorrected, List<double[]> latencyDistribution,
        long errors, Map<String, Long> errorsByKind, long timeouts,
        Long serverThreads, Long serverRssBytes, Double serverRssMib, Double serverKibPerConnection,
        Long serverConnectedClients, Double serverCommandsRps, Double serverCpuUsPerRequest, Double serverCpuPercent,
        double clientCpuPercent, String hlog, String note, Diagnosis diagnosis) {

    /** Latency percentiles in ms. */
    public record Latency(double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs, double meanMs, long count) {
    }
}
