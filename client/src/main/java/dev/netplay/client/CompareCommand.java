package dev.netplay.client;

import dev.netplay.client.compare.TargetSpec;

import dev.netplay.client.load.plan.Password;
import dev.netplay.client.compare.Comparison;
import dev.netplay.common.cli.ExitCodes;
import dev.netplay.common.limits.Limits;
import dev.netplay.common.cli.Units;
import dev.netplay.common.metrics.CpuList;
import dev.netplay.common.metrics.ProcessMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Starts each server model as its own process, sweeps it with the load client, stops it, "
                + "and writes the results, the charts and report.html.")
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "A short run (about 90 s): levels 100,1000,2000, SLEEP 500, 4s per level.")
    boolean quick;

    /** The most sweeps of each model one compare runs: beyond it a run takes hours; more runs are better as runs. */
    static final int MAX_REPEAT = 20;

    /**
     * Three sweeps of 5 s windows rather than one of 10 s: a level's draws differ by up to 30 points of C/D where the
     * models part ways, more than a longer window narrows (docs/BENCHMARKS.md, 10.4); three draws show that spread in ~8 minutes here.
     */
    static final int DEFAULT_REPEAT = 3;
    static final Duration DEFAULT_WARMUP = Duration.ofSeconds(2);
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(5);

    @Option(names = "--repeat", paramLabel = "N",
            description = "Sweep every model N times, interleaved, each in a fresh server process; figures are the medians, "
                    + "with their range (default: " + DEFAULT_REPEAT + "; --quick: 1; 1.." + MAX_REPEAT + ").")
    Integer repeat;

    @Option(names = "--knee",
            description = "After the sweeps, find each model's knee: the most connections at which it still completes "
                    + "99%% of C/D, by bisection between the levels (to within 5%% or 500 connections), each probe a fresh "
                    + "server measured --repeat times. Costs about a minute per probe and repeat (docs/BENCHMARKS.md).")
    boolean knee;

    @Option(names = "--repeat-all", description = "Repeat every level (by default the repeats measure only the levels "
            + "within reach of a model's knee in its first sweep: from the last that held 99%% of C/D to the first below 50%%).")
    boolean repeatAll;

    @Option(names = "--password", paramLabel = "env:NAME|file:PATH",
            description = "Start every server with this password (--requirepass, passed in its environment) and give it "
                    + "on every connection: from an environment variable or a file's first line, never the password "
                    + "itself (default: none).")
    String password;

    @Option(names = "--no-probe", description = "Run no probe connection beside the load (by default one PINGs every "
            + "100 ms, its latency recorded apart: what a fresh, light client meets on the loaded server).")
    boolean noProbe;

    @Option(names = "--levels", split = ",", paramLabel = "N",
            description = "Connection levels; 'max' is the highest this machine's open-file limit allows "
                    + "(default: 1k,5k,10k,max; --quick: 100,1000,2000).")
    List<String> levels;

    @Option(names = "--server-cpus", paramLabel = "LIST", converter = CpuListConverter.class,
            description = "CPUs for every server, e.g. 1 or 2-3 (default: the upper half of this process's CPUs).")
    CpuList serverCpus;

    @Option(names = "--client-cpus", paramLabel = "LIST", converter = CpuListConverter.class,
            description = "CPUs for the load client (default: the lower half).")
    CpuList clientCpus;

    @Option(names = "--no-pin", description = "Run the servers and the load client on every CPU (their figures then mix).")
    boolean noPin;

    @Option(names = "--server-heap", paramLabel = "SIZE",
            description = "Every server's fixed heap, -Xms = -Xmx (default: " + Comparison.DEFAULT_HEAP + ").")
    String serverHeap = Comparison.DEFAULT_HEAP;

    @Option(names = "--profile", description = "Profile every server over each measured window: async-profiler on netplay's "
            + "JVM models (CPU with kernel frames, and wall clock), perf on other servers; collapsed stacks and flame graphs in "
            + "profiles/ beside the results, where the CPU went in results.csv, flame graphs in report.html.")
    boolean profile;

    @Option(names = "--jfr", description = "Record a JFR flight recording per server model (server-MODEL.jfr beside the results).")
    boolean jfr;

    @Option(names = "--sleep", converter = Units.DurationConverter.class, description = "The SLEEP each request asks for (default: 1s; --quick: 500ms).")
    Duration sleep;

    @Option(names = "--backend", paramLabel = "HOST:PORT",
            description = "With --request FETCH ms or GATHER n ms: the backend every model calls (e.g. one you run on "
                    + "another machine); default: netplay's netty model, started by compare on the client's CPUs.")
    String backend;

    @Option(names = "--backend-connections", converter = Units.CountConverter.class, paramLabel = "N",
            description = "With FETCH or GATHER: each model's backend pool (default: the servers' own, 10,000); a small "
                    + "pool caps every model at N / D.")
    Integer backendConnections;

    @Option(names = "--backend-command", paramLabel = "TEMPLATE",
            description = "With FETCH or GATHER and --backend: what each call sends, e.g. \"BLPOP netplay:none {s}\" "
                    + "for redis-server (default: the servers' own, SLEEP {ms}).")
    String backendCommand;

    @Option(names = "--backend-reply", paramLabel = "LINE",
            description = "With --backend-command: the reply line each call must get, e.g. *-1 (default: +OK).")
    String backendReply;

    @Option(names = "--gather", paramLabel = "sequential|parallel",
            description = "With GATHER: how the blocking models make a request's calls (default: sequential; the event "
                    + "loops always write them at once).")
    String gather;

    @Option(names = "--request", description = "Send this instead of SLEEP (e.g. \"WORK 1000\", \"FETCH 1000\", \"GATHER 10 100\").")
    String request;

    @Option(names = "--mix", paramLabel = "REQUEST=WEIGHT,...",
            description = "Requests drawn by weight instead of one, e.g. \"PING=90,SLEEP 1000=10\"; figures per request too.")
    String mix;

    @Option(names = "--warmup", converter = Units.DurationConverter.class, description = "Per level (default: 2s; --quick: 1s).")
    Duration warmup;

    @Option(names = "--duration", converter = Units.DurationConverter.class, description = "Measured per level (default: 5s; --quick: 4s).")
    Duration duration;

    @Option(names = "--models", split = ",", paramLabel = "MODEL",
            description = "Models to compare, as the server jar names them (default: those it marks as compared by "
                    + "default); '--models list' lists them, what each shows, and whether the servers' JVM can run it.")
    List<String> models;

    @Option(names = "--target", paramLabel = "PRESET|NAME=COMMAND|NAME=HOST:PORT",
            description = "Measure another server beside the models (repeatable): a preset (redis, py-asyncio, py-uvloop, "
                    + "py-threads; '--target list' says what each is and whether this machine can run it), a command "
                    + "compare starts on the server CPUs with {port} for a free port (e.g. \"mine=./my-server -p {port}\"), "
                    + "or a server already running (NAME=HOST:PORT). '--models none' measures the targets alone.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--target-request", paramLabel = "NAME=REQUEST",
            description = "A target's own slow request, sent instead of SLEEP, {s} or {ms} standing for the wait (e.g. "
                    + "\"mine=BLPOP nothing {s}\"); redis has one already (repeatable).")
    List<String> targetRequests = new ArrayList<>();

    @Option(names = "--target-reply", paramLabel = "NAME=LINE",
            description = "The reply line a target's own slow request must get (e.g. \"mine=*-1\"; default: +OK).")
    List<String> targetReplies = new ArrayList<>();

    @Option(names = "--pool-size", paramLabel = "N",
            description = "Threads of the threads-pool model (default: the model's own, see --models list).")
    Integer poolSize;

    @Option(names = "--timeout", converter = Units.DurationConverter.class,
            description = "A request unanswered this long is a timeout (default: 10s).")
    Duration timeout = Duration.ofSeconds(10);

    @Option(names = "--ramp-rate", converter = Units.CountConverter.class, description = "New connections per second (default: 2k).")
    int rampRate = 2_000;

    @Option(names = "--out", paramLabel = "DIR", description = "Results, charts and report.html (default: results/<date-time>/).")
    Path out;

    @Option(names = "--server-jar", paramLabel = "JAR", description = "The server jar (default: server/target/netplay-server.jar).")
    Path serverJar = Path.of("server/target/netplay-server.jar");

    @Option(names = "--server-java-home", paramLabel = "DIR",
            description = "The JDK to run the servers (default: a JDK 21+ if one is found, so that virtual threads can run; else this one).")
    Path serverJavaHome;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (mix != null && (request != null || sleep != null)) {
            throw new ParameterException(spec.commandLine(), "--mix cannot go with --request or --sleep: --mix names every request");
        }
        if (models != null && models.equals(List.of("list"))) {
            Comparison.listModels(serverJar, serverJavaHome, System.out);
            return ExitCodes.OK;
        }
        if (targets.equals(List.of("list"))) {
            for (dev.netplay.client.compare.Preset preset : dev.netplay.client.compare.Preset.values()) {
                String missing = preset.missing(dev.netplay.client.compare.Preset.pythonDir(serverJar));
                System.out.printf(java.util.Locale.ROOT, "%-11s %-13s %s%n", preset.label(), missing == null ? "available" : "missing",
                        preset.summary() + (missing == null ? "" : " (" + missing + ")"));
            }
            return ExitCodes.OK;
        }
        List<TargetSpec> parsedTargets = parseTargets();
        if (models != null && models.equals(List.of("none")) && parsedTargets.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--models none leaves nothing to measure without --target");
        }
        if (password != null) {
            try {
                Password.parse(password, System::getenv);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        int repeat = this.repeat != null ? this.repeat : quick ? 1 : DEFAULT_REPEAT;
        if (repeat < 1 || repeat > MAX_REPEAT) {
            throw new ParameterException(spec.commandLine(), "--repeat " + repeat + " is out of range (expected: 1.." + MAX_REPEAT + ")");
        }
        if (noPin && (serverCpus != null || clientCpus != null)) {
            throw new ParameterException(spec.commandLine(), "--no-pin cannot go with --server-cpus or --client-cpus");
        }
        if (!serverHeap.matches("[1-9][0-9]{0,6}[mMgG]")) {
            throw new ParameterException(spec.commandLine(), "--server-heap '" + serverHeap + "' is not a size like 512m or 1g");
        }
        // A front server holds a client socket and a backend socket per call: the top level shrinks to fit both.
        int max = Comparison.maxLevel(Comparison.backendCalls(request));
        List<Integer> chosen = levels != null ? levelsOf(levels, max) : quick ? List.of(100, 1000, 2000) : defaultLevels(max);
        Comparison.Settings s = new Comparison.Settings(
                chosen,
                request != null ? request : "SLEEP " + (sleep != null ? sleep : quick ? Duration.ofMillis(500) : Duration.ofSeconds(1)).toMillis(),
                warmup != null ? warmup : quick ? Duration.ofSeconds(1) : DEFAULT_WARMUP,
                duration != null ? duration : quick ? Duration.ofSeconds(4) : DEFAULT_DURATION,
                models == null ? null : models.equals(List.of("none")) ? List.of() : models, poolSize, timeout, rampRate, out, serverJar, serverJavaHome,
                "scripts/compare " + String.join(" ", userArgs(spec.commandLine().getParseResult().originalArgs())),
                serverCpus, clientCpus, noPin, serverHeap, jfr, mix, backend, backendOptions(), repeat, knee, !noProbe, repeatAll, password,
                parsedTargets, profile);
        return new Comparison(s, System.out, System.err).run();
    }

    /** Every --target, with its own slow request and reply; a bad one fails naming it. */
    private List<TargetSpec> parseTargets() {
        List<TargetSpec> parsed = new ArrayList<>();
        Map<String, String> requests = byName("--target-request", targetRequests);
        Map<String, String> replies = byName("--target-reply", targetReplies);
        try {
            for (String text : targets) {
                TargetSpec t = TargetSpec.parse(text, parsed.stream().map(TargetSpec::name).toList());
                if (requests.containsKey(t.name())) {
                    t = t.withSlow(new TargetSpec.SlowRequest(requests.remove(t.name()), replies.getOrDefault(t.name(), "+OK")));
                }
                replies.remove(t.name());
                parsed.add(t);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!requests.isEmpty() || !replies.isEmpty()) {
            java.util.Set<String> unknown = new java.util.TreeSet<>(requests.keySet());
            unknown.addAll(replies.keySet());
            throw new ParameterException(spec.commandLine(), "--target-request/--target-reply name no --target: "
                    + String.join(", ", unknown));
        }
        return parsed;
    }

    /** NAME=VALUE options by name; a value without a name fails naming it. */
    private Map<String, String> byName(String option, List<String> values) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq <= 0 || eq == v.length() - 1) {
                throw new ParameterException(spec.commandLine(), option + " '" + v + "' is not NAME=VALUE");
            }
            out.put(v.substring(0, eq).strip(), v.substring(eq + 1).strip());
        }
        return out;
    }

    /** The backend options every front model is given, as the servers take them. */
    private List<String> backendOptions() {
        if ((backendCommand != null || backendReply != null) && backend == null) {
            throw new ParameterException(spec.commandLine(), "--backend-command and --backend-reply need --backend: "
                    + "the backend compare starts answers SLEEP {ms} with +OK");
        }
        if (gather != null && !gather.equals("sequential") && !gather.equals("parallel")) {
            throw new ParameterException(spec.commandLine(), "--gather '" + gather + "' is not one of: sequential, parallel");
        }
        if (backendConnections != null && (backendConnections < 1 || backendConnections > Limits.MAX_BACKEND_CONNECTIONS)) {
            throw new ParameterException(spec.commandLine(), "--backend-connections " + backendConnections
                    + " is out of range (expected: 1.." + Limits.MAX_BACKEND_CONNECTIONS + ")");
        }
        List<String> options = new ArrayList<>();
        if (backendConnections != null) {
            options.addAll(List.of("--backend-connections", Integer.toString(backendConnections)));
        }
        if (backendCommand != null) {
            options.addAll(List.of("--backend-command", backendCommand));
        }
        if (backendReply != null) {
            options.addAll(List.of("--backend-reply", backendReply));
        }
        if (gather != null) {
            options.addAll(List.of("--gather", gather));
        }
        return options;
    }

    /** The arguments as the user typed them to scripts/compare: without the subcommand and the jar the script adds. */
    private static List<String> userArgs(List<String> original) {
        List<String> args = new ArrayList<>(original);
        if (!args.isEmpty() && args.get(0).equals("compare")) {
            args.remove(0);
        }
        int jar = args.indexOf("--server-jar");
        if (jar >= 0 && jar + 1 < args.size()) {
            args.remove(jar + 1);
            args.remove(jar);
        }
        return args;
    }

    /**
     * 1k, 5k, 10k and the machine's top level (the ones below it, if it is lower): no level of 100, where every model
     * holds, so that the repeats go where the models part ways.
     */
    static List<Integer> defaultLevels(int max) {
        List<Integer> result = new ArrayList<>();
        for (int level : List.of(1_000, 5_000, 10_000)) {
            if (level < max) {
                result.add(level);
            }
        }
        result.add(max);
        return result;
    }

    private List<Integer> levelsOf(List<String> values, int max) {
        List<Integer> result = new ArrayList<>();
        for (String v : values) {
            long n = v.trim().equalsIgnoreCase("max") ? max : Units.parseCount(v);
            if (n > max) {
                throw new ParameterException(spec.commandLine(), "--levels " + v + " is above this machine's top level " + max
                        + " (open files: " + ProcessMetrics.openFileLimit() + " per process, less headroom; use 'max')");
            }
            result.add((int) n);
        }
        return result;
    }

    /** picocli converter for a CPU list. */
    static final class CpuListConverter implements CommandLine.ITypeConverter<CpuList> {
        @Override
        public CpuList convert(String value) {
            try {
                return CpuList.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
