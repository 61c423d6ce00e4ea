package dev.netplay.client.results;

import java.util.List;
import java.util.Map;

/** A whole run, as written to results.json: the parameters, the machine and every figure. */
public record RunResult(String tool, String startedAt, String finishedAt, Map<String, Object> parameters,
                        Map<String, Object> machine, List<TargetResult> targets) {
}
