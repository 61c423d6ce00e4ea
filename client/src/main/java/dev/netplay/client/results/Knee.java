package dev.netplay.client.results;

import java.util.List;

/**
 * A model's knee: the most connections at which it still completed 99% of C/D (see the load client's knee search).
 *
 * @param connections the knee, the median of the repeats' knees; null if even the lowest level measured did not hold
 * @param min         the least repeat's knee (each repeat's: the highest level where it held, and every level below)
 * @param max         the greatest
 * @param above       true if the model held at the highest level measured: its knee lies above it, unseen
 * @param p99Knee     the highest level measured (sweep or probe) up to which every level held and its median p99
 *                    stayed within 1.05 x D (requests that never complete have no latency: only levels that held count);
 *                    null if none or D is unknown
 * @param probes      the levels the search measured, in order, each the median of its repeats (the repeats inside)
 * @param note        why the search stopped early, or null
 */
public record Knee(Integer connections, Integer min, Integer max, boolean above, Integer p99Knee, List<LevelResult> probes,
                   String note) {
}
