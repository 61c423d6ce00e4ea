package dev.netplay.client.results;

import java.util.List;
import java.util.Map;

/**
 * One target's levels.
 *
 * @param server the target's INFO before any load (model, transport, threads, RSS ...); empty if it gave none
 * @param totals the whole run against this target, after in-flight replies were awaited: requests sent,
 *               completed, failed by kind, connects; and the server's own count of commands over the run
 *               ({@code server_commands}, which includes the sampler's {@code sampler_info_requests} and the probe's
 *               {@code probe_requests})
 * @param launch how compare started the server: {@code command} (the exact command line), {@code serverCpus},
 *               {@code jfr} (the flight recording's file); empty for a target the client did not start
 * @param knee   with {@code compare --knee}: where the model stopped holding C/D, and the levels probed to find it; null
 *               otherwise
 */
public record TargetResult(String name, String address, Map<String, String> server, List<LevelResult> levels,
                           Map<String, Long> totals, Map<String, Object> launch, Knee knee, Clock clock) {
    public TargetResult {
        launch = launch == null ? Map.of() : launch;
    }

    public TargetResult(String name, String address, Map<String, String> server, List<LevelResult> levels,
                        Map<String, Long> totals, Map<String, Object> launch) {
        this(name, address, server, levels, totals, launch, null, null);
    }

    public TargetResult(String name, String address, Map<String, String> server, List<LevelResult> levels,
                        Map<String, Long> totals, Map<String, Object> launch, Knee knee) {
        this(name, address, server, levels, totals, launch, knee, null);
    }

    /**
     * This client's clock against the server's: {@code offsetMs} is the server's time less this host's, within
     * {@code precisionMs} (half the best round trip).
     */
    public record Clock(double offsetMs, double precisionMs, String method) {
    }

    /** This target with this host's clock offset against its server. */
    public TargetResult withClock(Clock c) {
        return new TargetResult(name, address, server, levels, totals, launch, knee, c);
    }

    /** This target with its knee. */
    public TargetResult withKnee(Knee found) {
        return new TargetResult(name, address, server, levels, totals, launch, found, clock);
    }
}
