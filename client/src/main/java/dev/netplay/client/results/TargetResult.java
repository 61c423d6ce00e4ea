package dev.netplay.client.results;

import java.util.List;
import java.util.Map;

/**
 * One target's levels.
 *
 * @param server the target's INFO before any load (model, transport, threads, RSS ...); empty if it gave none
 */
public record TargetResult(String name, String address, Map<String, String> server, List<LevelResult> levels) {
}
