package dev.netplay.client.results;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.util.List;
import java.util.Map;

/**
 * The figures of one target at one connection level, in groups, one per concern. results.json has them flat (one
 * object per level, easy to read with jq or pandas): the groups are unwrapped, and their component names are the
 * file's. Times in ms, rates per second; null where unknown (e.g. server figures of a server that does not report
 * them). The figures by name ({@link #throughputRps()} ...) read through the groups.
 *
 * @param connects   the connects: wanted, made, tried, failed by cause (refused, timed_out, reset, err_from_server,
 *                   other), and their times
 * @param window     the measured window: its requests, throughput, and Little's law's ideal
 * @param latencies  latency over the window; {@code uncorrected} in the open model only (from the actual send, which
 *                   hides queueing before it); the distribution as [percentile, ms] points, for percentile plots
 * @param failures   failed requests by kind: wrong_reply, server_error, closed_mid_request, timeouts
 * @param server     what the server reported: peak threads and RSS, (peak RSS - RSS before any load) / connections,
 *                   its own command count (INFO total_commands_processed, the sampler's INFO requests included) per
 *                   second, a check on the client's count; its CPU is the diagnosis's
 * @param diagnosis  why the level looks as it does: CPUs and their load, GC, scheduler, SLEEP overshoot
 * @param byCommand  with {@code --mix}: each request's own figures, by its text; null otherwise
 * @param backend    with FETCH or GATHER: what the backend did over the same window; null otherwise
 * @param probe      the probe connection's PINGs over the window, apart from the load; null where none ran
 * @param repeat     which repeat of the level this is (1, 2 ...) when it is one of {@code repeats}; null otherwise
 * @param repeats    with {@code --repeat N}: every repeat of the level, in the order measured; the level's own figures
 *                   are then their medians, figure by figure (see {@link Repeats}); null for a level measured once
 * @param schedule   with {@code --start-at}: when the level was due and how late this host was; null otherwise
 * @param hosts      a merge of several hosts' runs ({@code client merge}): each host's own share; null otherwise
 */
public record LevelResult(
        @JsonUnwrapped Connects connects, @JsonUnwrapped Window window, @JsonUnwrapped Latencies latencies,
        @JsonUnwrapped Errors failures, @JsonUnwrapped ServerUse server,
        double clientCpuPercent, String hlog, String note, Diagnosis diagnosis, Map<String, CommandFigures> byCommand,
        BackendUse backend, ProbeFigures probe, Integer repeat, List<LevelResult> repeats, Schedule schedule,
        List<HostShare> hosts, ProfileFigures profile) {

    /**
     * The server's profile over the window ({@code compare --profile}): its files beside the results, how it sampled,
     * and where the server's CPU went, as shares (%) of its CPU samples; a share the profile could not see is null.
     *
     * @param engine       how it sampled: {@code cpu} (async-profiler on perf_events, kernel frames seen), {@code itimer}
     *                     (no kernel frames), {@code perf} (Linux perf on a server that is not netplay's JVM); null if none
     * @param cpu          the CPU profile's collapsed stacks (file name, in {@code profiles/})
     * @param cpuHtml      the same as the profiler's own flame graph page
     * @param wall         the wall-clock profile's collapsed stacks: where threads wait, too; null where none was taken
     * @param wallHtml     its flame graph page
     * @param samples      CPU samples taken
     * @param schedulerPct share in the kernel's scheduler (schedule, futex, context switch)
     * @param networkPct   share in network system calls and the TCP/IP stack
     * @param gcPct        share in the garbage collector
     * @param jitPct       share in the JIT compilers
     * @param netplayPct   share in netplay's own code
     * @param otherPct     the rest
     * @param note         why there is no profile, or what limits it; null if nothing
     */
    public record ProfileFigures(String engine, String cpu, String cpuHtml, String wall, String wallHtml, Long samples,
                                 Double schedulerPct, Double networkPct, Double gcPct, Double jitPct, Double netplayPct,
                                 Double otherPct, String note) {
        /** No profile, and why. */
        public static ProfileFigures none(String why) {
            return new ProfileFigures(null, null, null, null, null, null, null, null, null, null, null, null, why);
        }
    }

    /** This level with its server's profile. */
    public LevelResult withProfile(ProfileFigures figures) {
        return with(p -> p.profile = figures);
    }

    /**
     * One light connection's PINGs, every 100 ms over the window, apart from the load: what a fresh client meets.
     *
     * @param latency  the PINGs' latency; null if none was answered
     * @param sent     PINGs sent in the window
     * @param timeouts PINGs unanswered within the request timeout
     * @param failures connects that failed and replies that were not +PONG
     */
    public record ProbeFigures(Latency latency, long sent, long timeouts, long failures) {
    }

    /**
     * A level run on a schedule fixed in time ({@code --start-at}).
     *
     * @param plannedStart  when its window was due to open (ISO-8601)
     * @param measureStart  when it opened on this host
     * @param lateMs        how late that was, ms (0 if on time)
     * @param behind        later than the schedule's tolerance: this host fell behind, and the level is marked
     */
    public record Schedule(String plannedStart, String measureStart, double lateMs, boolean behind) {
    }

    /**
     * One host's part of a merged level.
     *
     * @param host        its {@code --host-id}
     * @param connections connections it held at the window's end
     * @param requests    requests it completed in the window
     * @param throughputRps its requests per second
     * @param p99Ms       its own p99, ms
     * @param errors      its errors, every kind
     * @param lateMs      how late its window opened against the schedule, ms; null without one
     * @param note        what the merge noticed of it (e.g. behind its schedule); null if nothing
     */
    public record HostShare(String host, int connections, long requests, double throughputRps, Double p99Ms, long errors,
                            Double lateMs, String note) {
    }

    /** This level with its schedule. */
    public LevelResult withSchedule(Schedule s) {
        return with(p -> p.schedule = s);
    }

    /** This level (a merge) with each host's share, and the merge's note. */
    public LevelResult withHosts(List<HostShare> shares, String mergedNote) {
        return with(p -> {
            p.hosts = shares;
            p.note = mergedNote;
        });
    }

    /** This level with another note (e.g. behind its schedule). */
    public LevelResult withNote(String text) {
        return with(p -> p.note = text);
    }

    /** This level with the probe's figures. */
    public LevelResult withProbe(ProbeFigures figures) {
        return with(p -> p.probe = figures);
    }

    /** This level as repeat {@code n} of its level. */
    public LevelResult asRepeat(int n) {
        return with(p -> {
            p.repeat = n;
            p.repeats = null;
        });
    }

    /** This level (the repeats' medians) with every repeat kept. */
    public LevelResult withRepeats(List<LevelResult> all) {
        return with(p -> {
            p.repeat = null;
            p.repeats = all;
        });
    }

    /** A copy of this level with what {@code change} sets: the one place that lists every component. */
    private LevelResult with(java.util.function.Consumer<Parts> change) {
        Parts p = new Parts(this);
        change.accept(p);
        return new LevelResult(p.connects, p.window, p.latencies, p.failures, p.server, p.clientCpuPercent, p.hlog, p.note,
                p.diagnosis, p.byCommand, p.backend, p.probe, p.repeat, p.repeats, p.schedule, p.hosts, p.profile);
    }

    /** A level's components while a copy is made. */
    private static final class Parts {
        Connects connects;
        Window window;
        Latencies latencies;
        Errors failures;
        ServerUse server;
        double clientCpuPercent;
        String hlog;
        String note;
        Diagnosis diagnosis;
        Map<String, CommandFigures> byCommand;
        BackendUse backend;
        ProbeFigures probe;
        Integer repeat;
        List<LevelResult> repeats;
        Schedule schedule;
        List<HostShare> hosts;
        ProfileFigures profile;

        Parts(LevelResult l) {
            connects = l.connects;
            window = l.window;
            latencies = l.latencies;
            failures = l.failures;
            server = l.server;
            clientCpuPercent = l.clientCpuPercent;
            hlog = l.hlog;
            note = l.note;
            diagnosis = l.diagnosis;
            byCommand = l.byCommand;
            backend = l.backend;
            probe = l.probe;
            repeat = l.repeat;
            repeats = l.repeats;
            schedule = l.schedule;
            hosts = l.hosts;
            profile = l.profile;
        }
    }

    /** The level's measurements: its repeats, or itself when it was measured once. */
    public List<LevelResult> runs() {
        return repeats == null || repeats.isEmpty() ? List.of(this) : repeats;
    }

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
        return with(p -> p.backend = use);
    }

    /** This level with each request's own figures of a mix. */
    public LevelResult withByCommand(Map<String, CommandFigures> figures) {
        return with(p -> p.byCommand = figures);
    }

    /** One request of a mix over the window: how many completed, at what rate, with what latency. */
    public record CommandFigures(long requests, double throughputRps, Latency latency) {
    }

    /** The level's connects: how many were wanted, made, tried and failed (by cause), and how long they took. */
    public record Connects(int connections, int connectionsEstablished, long connectsAttempted, long connectsFailed,
                           Map<String, Long> connectFailures, Double connectP50Ms, Double connectP99Ms, Double connectMaxMs) {
    }

    /**
     * The measured window: its length, the requests completed in it, and how that compares with Little's law; the
     * requests sent per second, and in the open model the rate planned (the client kept its plan if they agree).
     */
    public record Window(double windowSeconds, long requests, double throughputRps, Double idealRps, Double achievedRatio,
                         Double sentRps, Double intendedRps) {
        public Window(double windowSeconds, long requests, double throughputRps, Double idealRps, Double achievedRatio) {
            this(windowSeconds, requests, throughputRps, idealRps, achievedRatio, null, null);
        }
    }

    /** Latency over the window; {@code uncorrected} in the open model only; the distribution as [percentile, ms]. */
    public record Latencies(Latency latency, Latency uncorrected, List<double[]> latencyDistribution) {
    }

    /** Failed requests in the window, by kind, and the timeouts among them. */
    public record Errors(long errors, Map<String, Long> errorsByKind, long timeouts) {
    }

    /** What the server reported for the window (null where it does not report it). */
    public record ServerUse(Long serverThreads, Long serverRssBytes, Double serverRssMib, Double serverKibPerConnection,
                            Long serverConnectedClients, Double serverCommandsRps) {
    }

    public static LevelResult of(Connects c, Window w, Latencies l, Errors e, ServerUse s, double clientCpuPercent, String hlog,
                                 String note, Diagnosis diagnosis) {
        return of(c, w, l, e, s, clientCpuPercent, hlog, note, diagnosis, null);
    }

    public static LevelResult of(Connects c, Window w, Latencies l, Errors e, ServerUse s, double clientCpuPercent, String hlog,
                                 String note, Diagnosis diagnosis, Map<String, CommandFigures> byCommand) {
        return new LevelResult(c, w, l, e, s, clientCpuPercent, hlog, note, diagnosis, byCommand, null, null, null, null, null, null, null);
    }

    // The figures by name, as results.json has them flat: read through the groups.

    public int connections() {
        return connects.connections();
    }

    public int connectionsEstablished() {
        return connects.connectionsEstablished();
    }

    public long connectsAttempted() {
        return connects.connectsAttempted();
    }

    public long connectsFailed() {
        return connects.connectsFailed();
    }

    public Map<String, Long> connectFailures() {
        return connects.connectFailures();
    }

    public Double connectP50Ms() {
        return connects.connectP50Ms();
    }

    public Double connectP99Ms() {
        return connects.connectP99Ms();
    }

    public Double connectMaxMs() {
        return connects.connectMaxMs();
    }

    public double windowSeconds() {
        return window.windowSeconds();
    }

    public long requests() {
        return window.requests();
    }

    public double throughputRps() {
        return window.throughputRps();
    }

    public Double idealRps() {
        return window.idealRps();
    }

    public Double achievedRatio() {
        return window.achievedRatio();
    }

    public Latency latency() {
        return latencies.latency();
    }

    public Latency uncorrected() {
        return latencies.uncorrected();
    }

    public List<double[]> latencyDistribution() {
        return latencies.latencyDistribution();
    }

    public long errors() {
        return failures.errors();
    }

    public Map<String, Long> errorsByKind() {
        return failures.errorsByKind();
    }

    public long timeouts() {
        return failures.timeouts();
    }

    public Long serverThreads() {
        return server.serverThreads();
    }

    public Long serverRssBytes() {
        return server.serverRssBytes();
    }

    public Double serverRssMib() {
        return server.serverRssMib();
    }

    public Double serverKibPerConnection() {
        return server.serverKibPerConnection();
    }

    public Long serverConnectedClients() {
        return server.serverConnectedClients();
    }

    public Double serverCommandsRps() {
        return server.serverCommandsRps();
    }

    /** The server's CPU per request: one figure, the diagnosis's (user + system over the server's own count). */
    public Double serverCpuUsPerRequest() {
        return diagnosis == null ? null : diagnosis.serverCpuUsPerRequest();
    }

    /** Latency percentiles in ms. */
    public record Latency(double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs, double meanMs, long count) {
    }
}
