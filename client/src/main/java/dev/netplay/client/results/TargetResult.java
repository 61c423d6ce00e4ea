package dev.netplay.client.results;

import java.util.List;
import java.util.Map;

/**
 * One target's levels.
 *
 * @param server the target's INFO before any load (model, transport, threads, RSS ...); empty if it gave none
 * @param totals the whole run against this target, after in-flight replies were awaited: requests sent,
 *               completed, failed by kind, connects; and the server's own count of commands over the run
 *               ({@code server_commands}, which includes the sampler's {@code sampler_info_requests})
 */
public record TargetResult(String name, String address, Map<String, String> server, List<LevelResult> levels,
                           Map<String, Long> totals) {
}
