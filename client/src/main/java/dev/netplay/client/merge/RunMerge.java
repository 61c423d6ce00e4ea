package dev.netplay.client.merge;

import dev.netplay.client.load.figures.LevelFigures;
import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.ResultsFiles;
import dev.netplay.client.results.RunResult;
import dev.netplay.client.results.TargetResult;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Several hosts' runs against the same servers, as one: for each target (by name) and level (by the connections each
 * host held), the hosts' latencies added interval by interval ({@link IntervalLogs}), throughput, requests,
 * connections and errors (by kind) summed, each host's own figures kept beside the total ({@link LevelResult.HostShare}),
 * Little's law checked on the sum, and the server's own command rate checked against the hosts' total. A host with
 * no such level is named in the level's note, not silently left out. The result is a normal results directory.
 *
 * <p>The server's figures (threads, memory, CPU) and the diagnosis are the first host's: they read the same server
 * over the same window. The connect times are the slowest host's.
 */
public final class RunMerge {
    /** The server's command rate may differ from the hosts' total by this much before the level says so (its INFO, the probes). */
    static final double COMMAND_COUNT_TOLERANCE = 0.02;
    /** Windows overlapping less than this share of the shortest are not one interval, and the level says so. */
    static final double MIN_OVERLAP = 0.9;

    /** One host's run and where it lies. */
    public record Host(String id, Path dir, RunResult run) {
    }

    private RunMerge() {
    }

    /** Reads each directory's results.json; host ids must differ (a second run of one host is not another host). */
    public static List<Host> read(List<Path> dirs) throws IOException {
        List<Host> hosts = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Path dir : dirs) {
            Path d = Files.isDirectory(dir) ? dir : dir.getParent();
            RunResult run = ResultsFiles.read(dir);
            Object id = run.parameters() == null ? null : run.parameters().get("hostId");
            String name = id == null ? d.getFileName().toString() : id.toString();
            if (!ids.add(name)) {
                throw new IllegalArgumentException("two runs have host id '" + name + "' (" + dir + "): give each host its "
                        + "own --host-id");
            }
            hosts.add(new Host(name, d, run));
        }
        return hosts;
    }

    /** The hosts' runs merged; its .hlog files and server timelines are written to {@code out}. */
    public static RunResult merge(List<Host> hosts, Path out, String commandLine) throws IOException {
        if (hosts.size() < 2) {
            throw new IllegalArgumentException("merge needs 2 or more runs (got " + hosts.size() + ")");
        }
        Files.createDirectories(out);
        Set<String> targetNames = new LinkedHashSet<>();
        hosts.forEach(h -> h.run().targets().forEach(t -> targetNames.add(t.name())));
        List<TargetResult> targets = new ArrayList<>();
        for (String name : targetNames) {
            targets.add(mergeTarget(name, hosts, out));
        }
        Host first = hosts.get(0);
        Map<String, Object> parameters = new LinkedHashMap<>(first.run().parameters());
        parameters.put("command", commandLine);
        parameters.put("hostId", null);
        parameters.put("mergedHosts", hosts.stream().map(Host::id).toList());
        Map<String, Object> byHost = new LinkedHashMap<>();
        for (Host h : hosts) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("dir", h.dir().toString());
            one.put("command", h.run().parameters().get("command"));
            one.put("startAt", h.run().parameters().get("startAt"));
            one.put("bootId", h.run().machine() == null ? null : h.run().machine().get("bootId"));
            Map<String, Object> clocks = new LinkedHashMap<>();
            h.run().targets().forEach(t -> clocks.put(t.name(), t.clock()));
            one.put("clocks", clocks);
            byHost.put(h.id(), one);
        }
        parameters.put("hosts", byHost);
        String started = hosts.stream().map(h -> h.run().startedAt()).min(String::compareTo).orElse(null);
        String finished = hosts.stream().map(h -> h.run().finishedAt()).max(String::compareTo).orElse(null);
        RunResult merged = new RunResult(first.run().tool(), started, finished, parameters, first.run().machine(), targets);
        ResultsFiles.write(merged, out);
        return merged;
    }

    private static TargetResult mergeTarget(String name, List<Host> hosts, Path out) throws IOException {
        Map<Host, TargetResult> byHost = new LinkedHashMap<>();
        for (Host h : hosts) {
            h.run().targets().stream().filter(t -> t.name().equals(name)).findFirst().ifPresent(t -> byHost.put(h, t));
        }
        TreeSet<Integer> levels = new TreeSet<>();
        byHost.values().forEach(t -> t.levels().forEach(l -> levels.add(l.connections())));
        List<LevelResult> merged = new ArrayList<>();
        for (int level : levels) {
            merged.add(mergeLevel(name, level, hosts, byHost, out));
        }
        TargetResult firstTarget = byHost.values().iterator().next();
        Map<String, Long> totals = new LinkedHashMap<>();
        for (TargetResult t : byHost.values()) {
            t.totals().forEach((k, v) -> totals.merge(k, v == null ? 0 : v, Long::sum));
        }
        return new TargetResult(name, firstTarget.address(), firstTarget.server(), merged, totals, firstTarget.launch());
    }

    private static LevelResult mergeLevel(String target, int level, List<Host> hosts, Map<Host, TargetResult> byHost, Path out)
            throws IOException {
        List<String> notes = new ArrayList<>();
        List<LevelResult.HostShare> shares = new ArrayList<>();
        List<IntervalLogs.Log> logs = new ArrayList<>();
        List<LevelResult> present = new ArrayList<>();
        Host base = null;
        for (Host h : hosts) {
            TargetResult t = byHost.get(h);
            LevelResult l = t == null ? null : t.levels().stream().filter(x -> x.connections() == level).findFirst().orElse(null);
            if (l == null) {
                notes.add("host " + h.id() + " has no level " + level + (t == null ? " (nor target " + target + ")" : ""));
                shares.add(new LevelResult.HostShare(h.id(), 0, 0, 0, null, 0, null, "missing: no level " + level));
                continue;
            }
            if (l.hlog() != null && !isOwnFile(l.hlog())) {
                throw new IOException("host " + h.id() + ": level " + level + " of " + target + " names its interval log '"
                        + l.hlog() + "': a results file names files of its own folder only (a name, no path)");
            }
            if (l.hlog() == null || !Files.isRegularFile(h.dir().resolve(l.hlog()), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("host " + h.id() + ": level " + level + " of " + target + " has no interval log ("
                        + h.dir().resolve(String.valueOf(l.hlog())) + "): the merge adds histograms, it does not average percentiles");
            }
            if (base == null) {
                base = h;
            }
            present.add(l);
            logs.add(IntervalLogs.read(h.dir().resolve(l.hlog())));
            Double late = l.schedule() == null ? null : l.schedule().lateMs();
            String hostNote = l.schedule() != null && l.schedule().behind() ? "behind its schedule" : null;
            if (hostNote != null) {
                notes.add("host " + h.id() + " was behind its schedule (" + Math.round(late) + " ms late)");
            }
            shares.add(new LevelResult.HostShare(h.id(), l.connectionsEstablished(), l.requests(), l.throughputRps(),
                    l.latency() == null ? null : l.latency().p99Ms(), l.errors(), late, hostNote));
        }
        if (present.isEmpty()) {
            throw new IllegalStateException("level " + level + " of " + target + " is in no host's run");
        }
        overlapNote(logs, hosts, present.size()).ifPresent(notes::add);

        List<Histogram> intervals = IntervalLogs.merge(logs);
        Histogram whole = new Histogram(IntervalLogs.SIGNIFICANT_DIGITS);
        intervals.stream().filter(h -> h.getTag() == null).forEach(whole::add);
        int totalConnections = present.stream().mapToInt(LevelResult::connections).sum();
        String hlog = ResultsFiles.hlogName(target, totalConnections, "");
        IntervalLogs.write(out.resolve(hlog), intervals, "netplay " + target + ", " + totalConnections + " connections from "
                + present.size() + " hosts (" + level + " each), merged: every host's interval histograms added; values in ns");
        LevelResult first = present.get(0);
        copyTimeline(base.dir().resolve(first.hlog()), out.resolve(hlog));

        LevelResult.Connects connects = connects(present);
        long requests = present.stream().mapToLong(LevelResult::requests).sum();
        double throughput = present.stream().mapToDouble(LevelResult::throughputRps).sum();
        double seconds = present.stream().mapToDouble(LevelResult::windowSeconds).average().orElse(0);
        Double ideal = present.stream().allMatch(l -> l.idealRps() != null)
                ? present.stream().mapToDouble(LevelResult::idealRps).sum() : null;
        Double sent = present.stream().allMatch(l -> l.window().sentRps() != null)
                ? present.stream().mapToDouble(l -> l.window().sentRps()).sum() : null;
        Double intended = present.stream().allMatch(l -> l.window().intendedRps() != null)
                ? present.stream().mapToDouble(l -> l.window().intendedRps()).sum() : null;
        LevelResult.Window window = new LevelResult.Window(round(seconds), requests, round(throughput), ideal,
                ideal == null || ideal == 0 ? null : round(throughput / ideal), sent, intended);
        LevelResult.Latencies latencies = new LevelResult.Latencies(LevelFigures.latency(whole), null,
                LevelFigures.distribution(whole));
        Map<String, Long> byKind = new LinkedHashMap<>();
        present.forEach(l -> l.errorsByKind().forEach((k, v) -> byKind.merge(k, v, Long::sum)));
        LevelResult.Errors errors = new LevelResult.Errors(present.stream().mapToLong(LevelResult::errors).sum(), byKind,
                present.stream().mapToLong(LevelResult::timeouts).sum());
        commandCountNote(first, throughput).ifPresent(notes::add);
        if (first.note() != null && !first.note().isEmpty()) {
            notes.add("first host's note: " + first.note());
        }
        LevelResult result = LevelResult.of(connects, window, latencies, errors, first.server(),
                present.stream().mapToDouble(LevelResult::clientCpuPercent).sum(), hlog, null, first.diagnosis());
        return result.withHosts(shares, notes.isEmpty() ? null : String.join("; ", notes));
    }

    private static LevelResult.Connects connects(List<LevelResult> levels) {
        Map<String, Long> failures = new LinkedHashMap<>();
        levels.forEach(l -> l.connectFailures().forEach((k, v) -> failures.merge(k, v, Long::sum)));
        return new LevelResult.Connects(levels.stream().mapToInt(LevelResult::connections).sum(),
                levels.stream().mapToInt(LevelResult::connectionsEstablished).sum(),
                levels.stream().mapToLong(LevelResult::connectsAttempted).sum(),
                levels.stream().mapToLong(LevelResult::connectsFailed).sum(), failures,
                max(levels.stream().map(LevelResult::connectP50Ms).toList()),
                max(levels.stream().map(LevelResult::connectP99Ms).toList()),
                max(levels.stream().map(LevelResult::connectMaxMs).toList()));
    }

    /** Whether the hosts measured one interval: their windows' overlap against the shortest, and their spread of starts. */
    private static java.util.Optional<String> overlapNote(List<IntervalLogs.Log> logs, List<Host> hosts, int present) {
        long latestStart = Long.MIN_VALUE;
        long earliestStart = Long.MAX_VALUE;
        long earliestEnd = Long.MAX_VALUE;
        long shortest = Long.MAX_VALUE;
        for (IntervalLogs.Log log : logs) {
            Long start = log.windowStartMillis();
            Long end = log.windowEndMillis();
            if (start == null || end == null) {
                return java.util.Optional.of("a host's log has no measured interval");
            }
            latestStart = Math.max(latestStart, start);
            earliestStart = Math.min(earliestStart, start);
            earliestEnd = Math.min(earliestEnd, end);
            shortest = Math.min(shortest, end - start);
        }
        double overlap = shortest <= 0 ? 0 : Math.max(0, earliestEnd - latestStart) / (double) shortest;
        if (overlap < MIN_OVERLAP) {
            return java.util.Optional.of(String.format(Locale.ROOT, "the hosts' windows overlap by %.0f%% only (starts %d ms "
                    + "apart): not one interval; start them together with --start-at", overlap * 100, latestStart - earliestStart));
        }
        return java.util.Optional.empty();
    }

    /** The server's own command rate (the first host's window of it) against the hosts' total, beyond the tolerance. */
    private static java.util.Optional<String> commandCountNote(LevelResult first, double throughput) {
        Double server = first.serverCommandsRps();
        if (server == null || throughput <= 0) {
            return java.util.Optional.empty();
        }
        double ratio = server / throughput;
        if (Math.abs(ratio - 1) > COMMAND_COUNT_TOLERANCE) {
            return java.util.Optional.of(String.format(Locale.ROOT, "the server counted %.1f commands/s against the hosts' "
                    + "%.1f replies/s (%.3f): another client, or a host not merged", server, throughput, ratio));
        }
        return java.util.Optional.empty();
    }

    /** The first host's server timeline, beside the merged log under its name: the server is the one they shared. */
    private static void copyTimeline(Path hostHlog, Path mergedHlog) throws IOException {
        if (hostHlog == null) {
            return;
        }
        Path from = hostHlog.resolveSibling(ResultsFiles.timelineName(hostHlog.getFileName().toString()));
        if (Files.isRegularFile(from, java.nio.file.LinkOption.NOFOLLOW_LINKS)) { // a link could lead out of the folder
            Files.copy(from, mergedHlog.resolveSibling(ResultsFiles.timelineName(mergedHlog.getFileName().toString())),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A file name alone: no folder, no way up, not absolute. */
    static boolean isOwnFile(String name) {
        try {
            Path p = Path.of(name);
            return !name.isEmpty() && p.getNameCount() == 1 && !p.isAbsolute() && !name.equals("..") && !name.equals(".")
                    && p.getFileName().toString().equals(name);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static Double max(List<Double> values) {
        return values.stream().filter(java.util.Objects::nonNull).max(Double::compare).orElse(null);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
