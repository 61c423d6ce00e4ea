package dev.netplay.client.profile;

import java.util.EnumMap;
import java.util.Map;

/**
 * A CPU profile's samples by {@link FrameKind}, as shares of all of them (%). Where the profile could not see the
 * kernel (itimer), the kernel's kinds are unknown (null), not zero; where it could not see Java (perf on a process
 * that is not netplay's JVM), netplay's own code is unknown too.
 */
public record StackShares(long samples, Double schedulerPct, Double networkPct, Double gcPct, Double jitPct,
                          Double netplayPct, Double otherPct) {

    public static StackShares of(Collapsed cpu, boolean kernelSeen, boolean javaSeen) {
        Map<FrameKind, Long> by = new EnumMap<>(FrameKind.class);
        cpu.stacks().forEach((stack, n) -> by.merge(FrameKind.of(Collapsed.frames(stack)), n, Long::sum));
        long total = cpu.samples();
        return new StackShares(total,
                kernelSeen ? pct(by, FrameKind.SCHEDULER, total) : null,
                kernelSeen ? pct(by, FrameKind.NETWORK, total) : null,
                javaSeen ? pct(by, FrameKind.GC, total) : null,
                javaSeen ? pct(by, FrameKind.JIT, total) : null,
                javaSeen ? pct(by, FrameKind.NETPLAY, total) : null,
                pct(by, FrameKind.OTHER, total));
    }

    private static Double pct(Map<FrameKind, Long> by, FrameKind kind, long total) {
        return total == 0 ? null : 100.0 * by.getOrDefault(kind, 0L) / total;
    }
}
