package dev.netplay.client.results;

import java.util.List;
import java.util.Map;

/**
 * The figures of one target at one connection level, flat as results.json has them (one object per level, easy to
 * read with jq or pandas). Built with {@link #of} from small records, one per concern. Times in ms, rates per second; null where unknown
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
 * @param byCommand             with {@code --mix}: each request's own figures, by its text; null otherwise
 * @param backend               with FETCH or GATHER: what the backend did over the same window; null otherwise
 */
public record LevelResult(
        int connections, int connectionsEstablished, long connectsAttempted, long connectsFailed,
        Map<String, Long> connectFailures, Double connectP50Ms, Double connectP99Ms, Double connectMaxMs,
        double windowSeconds, long requests, double throughputRps, Double idealRps, Double achievedRatio,
        Latency latency, Latency uncorrected, List<double[]> latencyDistribution,
        long errors, Map<String, Long> errorsByKind, long timeouts,
        Long serverThreads, Long serverRssBytes, Double serverRssMib, Double serverKibPerConnection,
        Long serverConnectedClients, Double serverCommandsRps, Double serverCpuUsPerRequest, Double serverCpuPercent,
        double clientCpuPercent, String hlog, String note, Diagnosis diagnosis, Map<String, CommandFigures> byCommand,
        BackendUse backend) {

    /**
     * The backend over a level's window, read from its INFO: so that a bend on the backend's side is seen as such.
     *
     * @param callsRps       commands it processed per second (the front's calls, and the INFO readings)
     * @param cpuPercent     its CPU use, % of one CPU
     * @param cpuUsPerCall   its CPU per command, µs
     * @param connections    its connected clients at the window's end
     * @param sleepLateP99Ms how late its own SLEEPs resumed at p99, ms (a netplay backend); null where unknown
     */
    public record BackendUse(Double callsRps, Double cpuPercent, Double cpuUsPerCall, Long connections, Double sleepLateP99Ms) {
    }

    /** This level with the backend's figures. */
    public LevelResult withBackend(BackendUse use) {
        return new LevelResult(connections, connectionsEstablished, connectsAttempted, connectsFailed, connectFailures,
                connectP50Ms, connectP99Ms, connectMaxMs, windowSeconds, requests, throughputRps, idealRps, achievedRatio,
                latency, uncorrected, latencyDistribution, errors, errorsByKind, timeouts, serverThreads, serverRssBytes,
                serverRssMib, serverKibPerConnection, serverConnectedClients, serverCommandsRps, serverCpuUsPerRequest,
                serverCpuPercent, clientCpuPercent, hlog, note, diagnosis, byCommand, use);
    }

    /** One request of a mix over the window: how many completed, at what rate, with what latency. */
    public record CommandFigures(long requests, double throughputRps, Latency latency) {
    }

    /** The level's connects: how many were wanted, made, tried and failed (by cause), and how long they took. */
    public record Connects(int connections, int established, long attempted, long failed, Map<String, Long> failuresByCause,
                           Double p50Ms, Double p99Ms, Double maxMs) {
    }

    /** The measured window: its length, the requests completed in it, and how that compares with Little's law. */
    public record Window(double seconds, long requests, double throughputRps, Double idealRps, Double achievedRatio) {
    }

    /** Latency over the window; {@code uncorrected} in the open model only; the distribution as [percentile, ms]. */
    public record Latencies(Latency measured, Latency uncorrected, List<double[]> distribution) {
    }

    /** Failed requests in the window, by kind, and the timeouts among them. */
    public record Errors(long count, Map<String, Long> byKind, long timeouts) {
    }

    /** What the server reported for the window (null where it does not report it). */
    public record ServerUse(Long threads, Long rssBytes, Double rssMib, Double kibPerConnection, Long connectedClients,
                            Double commandsRps, Double cpuUsPerRequest, Double cpuPercent) {
    }

    public static LevelResult of(Connects c, Window w, Latencies l, Errors e, ServerUse s, double clientCpuPercent, String hlog,
                                 String note, Diagnosis diagnosis) {
        return of(c, w, l, e, s, clientCpuPercent, hlog, note, diagnosis, null);
    }

    public static LevelResult of(Connects c, Window w, Latencies l, Errors e, ServerUse s, double clientCpuPercent, String hlog,
                                 String note, Diagnosis diagnosis, Map<String, CommandFigures> byCommand) {
        return new LevelResult(c.connections(), c.established(), c.attempted(), c.failed(), c.failuresByCause(), c.p50Ms(),
                c.p99Ms(), c.maxMs(), w.seconds(), w.requests(), w.throughputRps(), w.idealRps(), w.achievedRatio(),
                l.measured(), l.uncorrected(), l.distribution(), e.count(), e.byKind(), e.timeouts(),
                s.threads(), s.rssBytes(), s.rssMib(), s.kibPerConnection(), s.connectedClients(), s.commandsRps(),
                s.cpuUsPerRequest(), s.cpuPercent(), clientCpuPercent, hlog, note, diagnosis, byCommand, null);
    }

    /** Latency percentiles in ms. */
    public record Latency(double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs, double meanMs, long count) {
    }
}
