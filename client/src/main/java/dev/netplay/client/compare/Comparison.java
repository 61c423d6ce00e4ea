package dev.netplay.client.compare;

import dev.netplay.client.load.LoadOptions;
import dev.netplay.client.load.LoadRunner;
import dev.netplay.client.profile.AsyncProfilerAgent;
import dev.netplay.client.profile.PerfRecorder;
import dev.netplay.client.profile.WindowProfiler;
import dev.netplay.client.load.Progress;
import dev.netplay.client.load.plan.LoadPlan;
import dev.netplay.client.load.plan.Password;
import dev.netplay.client.load.plan.Target;
import dev.netplay.client.load.sample.BackendInfo;
import dev.netplay.common.cli.HostPort;

import dev.netplay.client.report.Report;
import dev.netplay.client.results.TargetResult;
import dev.netplay.common.cli.ExitCodes;
import dev.netplay.common.metrics.CpuList;
import dev.netplay.common.metrics.ProcessMetrics;
import dev.netplay.client.results.RunResult;
import io.netty.channel.EventLoopGroup;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The one-command comparison: each model in its own process, swept in turn, then one report. */
public final class Comparison {
    private static final String POOL = "threads-pool";

    /** Connections kept free below the open-file capacity: the control connection, reconnects, files opened later. */
    public static final int LEVEL_HEADROOM = 500;
    /** The top level is rounded down to this. */
    public static final int LEVEL_ROUNDING = 1_000;
    /**
     * Every server's heap, fixed (-Xms = -Xmx) so that no model's memory figures depend on when its heap grew: four
     * times the largest live heap measured at the top level (threads-platform, ~160 MiB at 19,000 connections; see
     * docs/BENCHMARKS.md), small beside this machine's 24 GiB and the thread stacks that live outside the heap.
     */
    public static final String DEFAULT_HEAP = "1g";
    /**
     * One collector for every model, named: pinned to one CPU the JVM would pick Serial on its own, and the same
     * JVM would then run a different GC pinned than unpinned. G1 is what a server-class JVM runs by default.
     */
    static final List<String> GC_OPTIONS = List.of("-XX:+UseG1GC");
    /** An OutOfMemoryError ends the server at once, with a non-zero exit, rather than leaving a listening zombie. */
    static final String EXIT_ON_OOM = "-XX:+ExitOnOutOfMemoryError";

    /** Everything compare was asked for, defaults resolved; {@code serverCpus}/{@code clientCpus} null for the default split. */
    public record Settings(List<Integer> levels, String request, Duration warmup, Duration duration, List<String> models,
                           Integer poolSize, Duration timeout, int rampRate, Path out, Path serverJar, Path serverJavaHome,
                           String commandLine, CpuList serverCpus, CpuList clientCpus, boolean noPin, String heap,
                           boolean jfr, String mix, String backend, List<String> backendOptions, int repeat,
                           boolean knee, boolean probe, boolean repeatAll, String password, List<TargetSpec> targets,
                           boolean profile) {
        /** Unprofiled. */
        public Settings(List<Integer> levels, String request, Duration warmup, Duration duration, List<String> models,
                        Integer poolSize, Duration timeout, int rampRate, Path out, Path serverJar, Path serverJavaHome,
                        String commandLine, CpuList serverCpus, CpuList clientCpus, boolean noPin, String heap,
                        boolean jfr, String mix, String backend, List<String> backendOptions, int repeat,
                        boolean knee, boolean probe, boolean repeatAll, String password, List<TargetSpec> targets) {
            this(levels, request, warmup, duration, models, poolSize, timeout, rampRate, out, serverJar, serverJavaHome,
                    commandLine, serverCpus, clientCpus, noPin, heap, jfr, mix, backend, backendOptions, repeat, knee, probe,
                    repeatAll, password, targets, false);
        }

        /** Without other servers: netplay's models alone. */
        public Settings(List<Integer> levels, String request, Duration warmup, Duration duration, List<String> models,
                        Integer poolSize, Duration timeout, int rampRate, Path out, Path serverJar, Path serverJavaHome,
                        String commandLine, CpuList serverCpus, CpuList clientCpus, boolean noPin, String heap,
                        boolean jfr, String mix, String backend, List<String> backendOptions, int repeat,
                        boolean knee, boolean probe, boolean repeatAll, String password) {
            this(levels, request, warmup, duration, models, poolSize, timeout, rampRate, out, serverJar, serverJavaHome,
                    commandLine, serverCpus, clientCpus, noPin, heap, jfr, mix, backend, backendOptions, repeat, knee, probe,
                    repeatAll, password, List.of());
        }
    }

    /** One sweep of the schedule: a model, in its own fresh server process, and which repeat this is (1, 2 ...). */
    public record Sweep(String model, int repeat) {
    }

    /**
     * The order of the sweeps: every model once, then every model again, {@code repeats} times (A B C A B C, not
     * A A A B B B), so that whatever drifts on the machine over the run touches every model alike. Each sweep runs in
     * a fresh server process, as JMH forks a fresh JVM per measurement, so that a JVM's luck is not counted N times.
     */
    public static List<Sweep> schedule(List<String> models, int repeats) {
        List<Sweep> order = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) {
            for (String m : models) {
                order.add(new Sweep(m, r));
            }
        }
        return order;
    }

    /** The backend calls one request makes: 1 for FETCH, n for GATHER n, 0 for anything else. */
    public static int backendCalls(String request) {
        if (request == null) {
            return 0;
        }
        String[] words = request.trim().split("\\s+");
        if (words[0].equalsIgnoreCase("FETCH")) {
            return 1;
        }
        if (words[0].equalsIgnoreCase("GATHER") && words.length > 1 && words[1].matches("[0-9]{1,4}")) {
            return Integer.parseInt(words[1]);
        }
        return 0;
    }

    /**
     * The highest level this machine allows: what this process's open-file limit leaves (less {@link #LEVEL_HEADROOM}),
     * rounded down to {@link #LEVEL_ROUNDING}. The servers inherit the same limit and hold fewer other files.
     */
    public static int maxLevel() {
        return maxLevel(0);
    }

    /** As {@link #maxLevel()}, for requests that each hold {@code backendCalls} backend sockets besides their own. */
    public static int maxLevel(int backendCalls) {
        int capacity = (ProcessMetrics.connectionCapacity() - LEVEL_HEADROOM) / (1 + backendCalls);
        return Math.max(LEVEL_ROUNDING / 10, capacity / LEVEL_ROUNDING * LEVEL_ROUNDING);
    }

    /** The server JVM's options, the same for every model. */
    public static List<String> jvmOptions(String heap) {
        List<String> options = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap));
        options.addAll(GC_OPTIONS);
        options.add(EXIT_ON_OOM);
        return options;
    }

    private final Settings settings;
    private final PrintStream out;
    private final PrintStream err;
    /** What a server reads its password from ({@code --requirepass}'s default). */
    static final String SERVER_PASSWORD_VARIABLE = "NETPLAY_REQUIREPASS";
    private final List<ServerLauncher> running = new CopyOnWriteArrayList<>();

    public Comparison(Settings settings, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    /**
     * The backend every front model calls, when the request makes backend calls: the one named by {@code --backend},
     * or else netplay's netty model, started here on the client's CPUs (it competes with the load client, not with the
     * front server, whose CPU is what is compared).
     */
    private InetSocketAddress startBackend(CpuPlan cpus, Path java, List<String> jvmOptions, Path dir, List<String> notes)
            throws Exception {
        int calls = settings.mix() == null ? backendCalls(settings.request()) : 0;
        if (settings.backend() != null) {
            InetSocketAddress address = HostPort.parse("--backend", settings.backend());
            notes.add("backend: " + settings.backend() + ", given with --backend (not started by compare)");
            return address;
        }
        if (calls == 0) {
            return null;
        }
        Files.createDirectories(dir);
        ServerLauncher launched = ServerLauncher.start(cpus.clientPrefix(), java, jvmOptions, settings.serverJar(),
                List.of("netty"), Map.of(), dir.resolve("backend.log"));
        running.add(launched);
        err.printf("backend: netty, pid %d on 127.0.0.1:%d%n", launched.pid(), launched.port());
        notes.add("backend: netplay's netty model (SLEEP is its wait), pid " + launched.pid() + ", started by compare"
                + (cpus.pinned() ? " on the client's CPUs " + cpus.clientCpus() + ": it shares them with the load client" : "")
                + "; command: " + String.join(" ", launched.command()));
        return new InetSocketAddress("127.0.0.1", launched.port());
    }

    /** Launch every model in turn, measure it, stop it; then the results and the report. */
    public int run() throws Exception {
        Path dir = outputDirectory();
        LoadPlan plan = loadPlan(dir);
        CpuPlan cpus = CpuPlan.decide(ProcessMetrics.allowedCpus(), CpuPlan.tasksetAvailable(), settings.serverCpus(),
                settings.clientCpus(), settings.noPin());
        cpus.pinThisProcess(); // before the client's event loops start, so that every client thread inherits it
        List<String> jvmOptions = jvmOptions(settings.heap());
        List<String> notes = new ArrayList<>();
        notes.add(cpus.note());
        notes.add("every server ran with the JVM options " + String.join(" ", jvmOptions) + (settings.jfr() ? " and a flight recording" : ""));
        if (settings.profile()) {
            notes.add("--profile: every server profiled over each measured window (async-profiler on netplay's JVM models, "
                    + "CPU every 1 ms of CPU and wall clock every 20 ms; perf at 997 Hz on the other servers compare started); "
                    + "collapsed stacks and flame graphs in profiles/; the servers' CPU and RSS figures include the profiler's own "
                    + "cost (a thread per connection's CPU per request up to 2.6 times: docs/BENCHMARKS.md 17.4), so take "
                    + "costs from a run without --profile");
        }
        ServerJvm jvm = ServerJvm.choose(settings.serverJavaHome());
        notes.add(jvm.note());
        ModelCatalog catalog = ModelCatalog.read(jvm.java(), settings.serverJar());
        for (TargetSpec target : settings.targets()) {
            if (catalog.all().stream().anyMatch(m -> m.name().equals(target.name()))) {
                err.println("error: --target name '" + target.name() + "' is a model's name: give the target another");
                return ExitCodes.USAGE;
            }
        }
        List<ModelCatalog.Model> models = settings.models() != null && settings.models().isEmpty() ? List.of()
                : chosenModels(catalog, notes);
        Map<String, TargetSpec> targets = runnableTargets(notes);
        List<String> names = new ArrayList<>(models.stream().map(ModelCatalog.Model::name).toList());
        names.addAll(targets.keySet());
        if (names.isEmpty()) {
            err.println("error: nothing to measure: " + String.join("; ", notes.subList(Math.min(notes.size(), 3), notes.size())));
            return ExitCodes.USAGE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(ServerLauncher::close), "stop-servers"));
        InetSocketAddress backend = startBackend(cpus, jvm.java(), jvmOptions, dir, notes);

        LoadRunner runner = new LoadRunner(plan, out, Progress.forConsole(err));
        String started = LoadRunner.now();
        Map<String, List<TargetResult>> sweeps = new LinkedHashMap<>();
        List<TargetResult> results = new ArrayList<>();
        names.forEach(n -> sweeps.put(n, new ArrayList<>()));
        EventLoopGroup group = LoadRunner.newGroup(plan.ioThreads());
        if (settings.repeat() > 1) {
            notes.add("every model was swept " + settings.repeat() + " times, interleaved (each model once, then each again), "
                    + "each sweep in a fresh server process; a figure is the median of its repeats, with their range"
                    + (settings.repeatAll() ? "" : "; the repeats measure only the levels within reach of the model's knee in "
                    + "its first sweep (from the last level that held 99% of C/D to the first below 50%), the others once"));
        }
        try {
            List<Sweep> order = schedule(names, settings.repeat());
            long runStart = System.nanoTime();
            for (int i = 0; i < order.size(); i++) {
                Sweep sweep = order.get(i);
                err.println(whereTheRunStands(i, order.size(), System.nanoTime() - runStart));
                Contender contender = contender(sweep.model(), models, targets);
                int repeat = settings.repeat() > 1 ? sweep.repeat() : 0;
                List<Integer> levels = settings.levels();
                if (sweep.repeat() > 1 && !settings.repeatAll()) {
                    if (sweeps.get(sweep.model()).isEmpty()) {
                        continue; // its first sweep could not start it: the note says why
                    }
                    levels = KneeSearch.withinReach(sweeps.get(sweep.model()).get(0).levels());
                    if (levels.isEmpty()) {
                        continue; // held at no level: its bend lies below them all, and another draw shows nothing new
                    }
                }
                LoadRunner sweepRunner = levels.equals(settings.levels()) && contender.slow() == null ? runner
                        : new LoadRunner(loadPlan(dir, levels, contender), out, Progress.forConsole(err));
                TargetResult measured = measureOrNote(contender, repeat, repeat == 0 ? "" : "-r" + repeat, sweepRunner, group,
                        cpus, jvm.java(), jvmOptions, backend, dir, notes);
                if (measured != null) {
                    sweeps.get(sweep.model()).add(measured);
                }
            }
            for (String name : names) {
                if (sweeps.get(name).isEmpty()) {
                    continue;
                }
                Contender contender = contender(name, models, targets);
                TargetResult merged = dev.netplay.client.results.Repeats.merge(sweeps.get(name));
                if (settings.knee() && !merged.levels().isEmpty() && (contender.model() != null || contender.target().started())) {
                    long searchStart = System.nanoTime();
                    KneeSearch.Prober prober = connections -> {
                        LoadRunner probeRunner = new LoadRunner(loadPlan(dir, List.of(connections), contender), out,
                                Progress.forConsole(err));
                        List<dev.netplay.client.results.LevelResult> runs = new ArrayList<>();
                        for (int r = 1; r <= settings.repeat(); r++) {
                            TargetResult probe = measure(contender, settings.repeat() > 1 ? r : 0, "-knee" + connections + "-r" + r,
                                    probeRunner, group, cpus, jvm.java(), jvmOptions, backend, dir, notes);
                            probe.levels().forEach(l -> runs.add(settings.repeat() > 1 ? l.asRepeat(runs.size() + 1) : l));
                        }
                        return runs;
                    };
                    long waitMillis = loadPlan(dir, settings.levels(), contender).request().sleepMillis();
                    dev.netplay.client.results.Knee knee = KneeSearch.find(merged.levels(), prober,
                            waitMillis > 0 ? (double) waitMillis : null);
                    notes.add(String.format(java.util.Locale.ROOT, "%s: the knee search probed %s in %.0f s", name,
                            knee.probes().isEmpty() ? "nothing (no bracket to narrow)"
                                    : knee.probes().stream().map(l -> String.format(java.util.Locale.ROOT, "%,d", l.connections()))
                                    .collect(java.util.stream.Collectors.joining(", ")),
                            (System.nanoTime() - searchStart) / 1e9));
                    merged = merged.withKnee(knee);
                }
                results.add(merged);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            for (ServerLauncher launched : running) {
                launched.stop(); // the backend compare started
            }
            running.clear();
        }
        RunResult run = runner.finish(started, results, notes);
        Path report = Report.write(List.of(run), List.of(dir), dir);
        out.println("report: " + report.toAbsolutePath());
        if (results.isEmpty()) {
            err.println("error: nothing could be measured; the report's notes say why");
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private Path outputDirectory() {
        return settings.out() != null ? settings.out()
                : Path.of("results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** The load every model gets: compare's settings as the load client's options. */
    private LoadPlan loadPlan(Path dir) throws java.io.IOException {
        return loadPlan(dir, settings.levels());
    }

    /** The same load at other levels (a knee probe's). */
    private LoadPlan loadPlan(Path dir, List<Integer> levels) throws java.io.IOException {
        return loadPlan(dir, levels, null, null, null);
    }

    /** As {@link #loadPlan(Path, List)}, another request in place of compare's, with its reply and wait. */
    private LoadPlan loadPlan(Path dir, List<Integer> levels, String request, String expect, Duration takes) throws java.io.IOException {
        LoadOptions options = new LoadOptions();
        if (settings.mix() != null) {
            options.mix = settings.mix();
        } else {
            options.request = request != null ? request : settings.request();
            options.expect = expect;
            options.requestTakes = takes;
        }
        options.warmup = settings.warmup();
        options.duration = settings.duration();
        options.timeout = settings.timeout();
        options.rampRate = settings.rampRate();
        options.noProbe = !settings.probe();
        options.password = settings.password();
        options.out = dir;
        return options.toPlan(levels, settings.commandLine(), List.of());
    }

    /** The models named (an unknown name fails naming the known ones), or the defaults; those the servers' JVM cannot run are noted and left out. */
    private static List<ModelCatalog.Model> chosenModels(ModelCatalog catalog, List<String> notes, List<String> names) {
        List<ModelCatalog.Model> models = new ArrayList<>();
        for (ModelCatalog.Model model : names == null ? catalog.defaults() : names.stream().map(catalog::named).toList()) {
            if (model.unavailable() != null) {
                notes.add(model.name() + " is absent: " + model.unavailable());
            } else {
                models.add(model);
            }
        }
        return models;
    }

    private List<ModelCatalog.Model> chosenModels(ModelCatalog catalog, List<String> notes) {
        return chosenModels(catalog, notes, settings.models());
    }

    /** What compare measures: one of netplay's models, or another server ({@code --target}). */
    record Contender(String name, ModelCatalog.Model model, TargetSpec target) {
        TargetSpec.SlowRequest slow() {
            return target == null ? null : target.slow();
        }
    }

    private static Contender contender(String name, List<ModelCatalog.Model> models, Map<String, TargetSpec> targets) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst().map(m -> new Contender(name, m, null))
                .orElseGet(() -> new Contender(name, null, targets.get(name)));
    }

    /** The targets this machine can run: a preset whose program is missing is noted (with how to install it) and left out. */
    private Map<String, TargetSpec> runnableTargets(List<String> notes) {
        Map<String, TargetSpec> runnable = new LinkedHashMap<>();
        for (TargetSpec target : settings.targets()) {
            String missing = target.preset() == null ? null : target.preset().missing(Preset.pythonDir(settings.serverJar()));
            if (missing != null) {
                notes.add(target.name() + " is absent: " + missing);
                err.println(target.name() + " is absent: " + missing);
            } else {
                runnable.put(target.name(), target);
            }
        }
        return runnable;
    }

    /** The load a contender gets: compare's, with a target's own slow request in place of SLEEP where it has one. */
    private LoadPlan loadPlan(Path dir, List<Integer> levels, Contender contender) throws java.io.IOException {
        Long millis = ownSlowRequestWait(contender);
        return millis == null ? loadPlan(dir, levels)
                : loadPlan(dir, levels, contender.slow().forWait(millis), contender.slow().reply(), Duration.ofMillis(millis));
    }

    /** The wait of compare's SLEEP where a contender sends its own slow request instead; null where it sends compare's. */
    private Long ownSlowRequestWait(Contender contender) {
        String[] words = settings.mix() == null ? settings.request().trim().split("\\s+") : new String[0];
        boolean sleep = words.length == 2 && words[0].equalsIgnoreCase("SLEEP") && words[1].matches("[0-9]{1,9}");
        return contender.slow() == null || !sleep ? null : Long.parseLong(words[1]);
    }

    /** One sweep of a contender; a target that cannot start is a note (and a line on stderr), and the run goes on. */
    private TargetResult measureOrNote(Contender contender, int repeat, String tag, LoadRunner runner, EventLoopGroup group,
                                       CpuPlan cpus, Path java, List<String> jvmOptions, InetSocketAddress backend, Path dir,
                                       List<String> notes) throws Exception {
        try {
            return measure(contender, repeat, tag, runner, group, cpus, java, jvmOptions, backend, dir, notes);
        } catch (java.io.IOException e) {
            if (contender.model() != null) {
                throw e;
            }
            notes.add(e.getMessage());
            err.println("error: " + e.getMessage());
            return null;
        }
    }

    private TargetResult measure(Contender contender, int repeat, String tag, LoadRunner runner, EventLoopGroup group,
                                 CpuPlan cpus, Path java, List<String> jvmOptions, InetSocketAddress backend, Path dir,
                                 List<String> notes) throws Exception {
        return contender.model() != null
                ? measureModel(contender.model(), repeat, tag, runner, group, cpus, java, jvmOptions, backend, dir, notes)
                : measureTarget(contender.target(), repeat, tag, runner, group, cpus, backend, dir, notes);
    }

    /**
     * Another server: a command started on the server CPUs as the models are (a fresh process per sweep, stopped by its
     * PID, its log kept beside the results), or a running server measured from the client's side.
     */
    private TargetResult measureTarget(TargetSpec target, int repeat, String tag, LoadRunner runner, EventLoopGroup group,
                                       CpuPlan cpus, InetSocketAddress backend, Path dir, List<String> notes) throws Exception {
        Map<String, Object> launch = new LinkedHashMap<>();
        Long ownWait = ownSlowRequestWait(new Contender(target.name(), null, target));
        if (ownWait != null) {
            launch.put("request", target.slow().forWait(ownWait) + " (its own slow request, answered " + target.slow().reply()
                    + ", in place of " + settings.request() + ")");
        }
        if (!target.started()) {
            launch.put("command", null);
            launch.put("note", "not started by compare: measured from the client's side; its process figures are known only "
                    + "if it runs on this machine and gives its pid in INFO");
            err.printf("%s%s: %s (running, not started by compare)%n", target.name(), repeatText(repeat),
                    target.address().getHostString() + ":" + target.address().getPort());
            return runner.runTarget(new Target(target.name(), target.address().getHostString(), target.address().getPort()),
                    group, launch, backend, repeat, settings.profile()
                            ? WindowProfiler.none("not started by compare: no profile (perf needs the process on this machine)") : null);
        }
        Files.createDirectories(dir);
        Map<String, String> environment = target.preset() != null && target.preset().python()
                ? Map.of("PYTHONPATH", Preset.pythonDir(settings.serverJar()).toString()) : Map.of();
        ServerLauncher server = ServerLauncher.startCommand(target, cpus.serverPrefix(), environment,
                dir.resolve("server-" + target.name() + tag + ".log"));
        running.add(server);
        try {
            err.printf("%s%s: pid %d on 127.0.0.1:%d%n", target.name(), repeatText(repeat), server.pid(), server.port());
            launch.put("command", String.join(" ", server.command()));
            launch.put("serverCpus", cpus.pinned() ? cpus.serverCpus().toString() : null);
            launch.put("clientCpus", cpus.pinned() ? cpus.clientCpus().toString() : null);
            launch.put("log", server.log().getFileName().toString());
            if (target.preset() != null) {
                launch.put("preset", target.preset().summary());
            }
            return runner.runTarget(new Target(target.name(), "127.0.0.1", server.port(), server.pid()), group, launch, backend,
                    repeat, settings.profile() ? otherProfiler(dir) : null);
        } finally {
            boolean died = !server.alive();
            int exit = server.stop();
            running.remove(server);
            if (died) {
                notes.add(target.name() + tag + " died during its sweep (exit " + exit + "); the last lines of "
                        + server.log().getFileName() + ": " + ServerLauncher.lastLines(server.log()));
            } else if (exit != 0 && exit != TERMINATED_BY_SIGTERM) {
                notes.add(target.name() + tag + " exited with " + exit + " after SIGTERM; see " + server.log().getFileName());
            }
        }
    }

    /**
     * "sweep 5 of 24, 6 min in, about 19 min left": the time left at the sweeps' pace so far (later repeats measure
     * fewer levels, so it is an upper bound), and the knee search still to come if there is one.
     */
    String whereTheRunStands(int done, int total, long elapsedNanos) {
        long elapsedMin = TimeUnit.NANOSECONDS.toMinutes(elapsedNanos);
        String left = done == 0 ? "" : String.format(java.util.Locale.ROOT, ", about %d min left",
                Math.max(1, Math.round(elapsedNanos / 60e9 / done * (total - done))));
        return String.format(java.util.Locale.ROOT, "== sweep %d of %d, %d min in%s%s", done + 1, total, elapsedMin, left,
                settings.knee() ? ", then the knee search" : "");
    }

    /**
     * The profiler's library is attached to a running JVM; from Java 21 a JVM warns of that unless told it may happen
     * (JEP 451). Java 17 takes the option as well.
     */
    static final String QUIET_AGENT_ATTACH = "-XX:+EnableDynamicAgentLoading";
    private WindowProfiler jvmProfiler;
    private WindowProfiler otherProfiler;

    /** async-profiler for netplay's JVM models, made once a run. */
    private WindowProfiler jvmProfiler(Path dir) {
        if (jvmProfiler == null) {
            jvmProfiler = AsyncProfilerAgent.in(dir);
        }
        return jvmProfiler;
    }

    /** perf for the other servers compare starts, made once a run. */
    private WindowProfiler otherProfiler(Path dir) {
        if (otherProfiler == null) {
            otherProfiler = PerfRecorder.in(dir);
        }
        return otherProfiler;
    }

    /** A process that ends on SIGTERM's default action exits with 128 + 15. */
    private static final int TERMINATED_BY_SIGTERM = 143;

    private String repeatText(int repeat) {
        return repeat == 0 ? "" : " (repeat " + repeat + " of " + settings.repeat() + ")";
    }

    /** One model: its server started on the server CPUs, the levels swept, the server stopped. */
    private TargetResult measureModel(ModelCatalog.Model model, int repeat, String tag, LoadRunner runner, EventLoopGroup group,
                                 CpuPlan cpus, Path java, List<String> jvmOptions, InetSocketAddress backend, Path dir,
                                 List<String> notes) throws Exception {
        List<String> args = new ArrayList<>(model.serverArgs());
        if (model.name().equals(POOL) && settings.poolSize() != null) {
            args.addAll(List.of("--pool-size", Integer.toString(settings.poolSize())));
        }
        if (backend != null) {
            args.addAll(List.of("--backend", backend.getHostString() + ":" + backend.getPort()));
            args.addAll(settings.backendOptions());
        }
        List<String> serverOptions = new ArrayList<>(jvmOptions);
        Path jfr = null;
        if (settings.profile()) {
            serverOptions.add(QUIET_AGENT_ATTACH);
        }
        if (settings.jfr()) {
            jfr = dir.resolve("server-" + model.name() + tag + ".jfr").toAbsolutePath();
            serverOptions.add("-XX:StartFlightRecording=filename=" + jfr + ",dumponexit=true,settings=default");
        }
        // the password in the server's environment, where ps does not show it
        Map<String, String> environment = settings.password() == null ? Map.of()
                : Map.of(SERVER_PASSWORD_VARIABLE, Password.parse(settings.password(), System::getenv).reveal());
        ServerLauncher server = ServerLauncher.start(cpus.serverPrefix(), java, serverOptions, settings.serverJar(), args,
                environment, dir.resolve("server-" + model.name() + tag + ".log"));
        running.add(server);
        try {
            err.printf("%s%s: pid %d on 127.0.0.1:%d%n", model.name(), repeat == 0 ? "" : " (repeat " + repeat + " of "
                    + settings.repeat() + ")", server.pid(), server.port());
            Map<String, Object> launch = new LinkedHashMap<>();
            launch.put("command", String.join(" ", server.command()));
            launch.put("serverCpus", cpus.pinned() ? cpus.serverCpus().toString() : null);
            launch.put("clientCpus", cpus.pinned() ? cpus.clientCpus().toString() : null);
            launch.put("jfr", jfr == null ? null : jfr.getFileName().toString());
            Map<String, String> backendBefore = backend == null ? Map.of() : BackendInfo.read(backend);
            TargetResult result = runner.runTarget(new Target(model.name(), "127.0.0.1", server.port(), server.pid()), group,
                    launch, backend, repeat, settings.profile() ? jvmProfiler(dir) : null);
            if (backend != null) {
                notes.add(BackendInfo.during(model.name() + tag, backendBefore, BackendInfo.read(backend)));
            }
            return result;
        } finally {
            int exit = server.stop();
            running.remove(server);
            if (exit != 0) {
                notes.add(model.name() + tag + " exited with " + exit + " after SIGTERM; see " + server.log().getFileName());
            }
        }
    }

    /** {@code --models list}: every model the server jar lists, whether compare runs it by default, and what it shows. */
    public static void listModels(Path serverJar, Path serverJavaHome, PrintStream out) throws Exception {
        ServerJvm jvm = ServerJvm.choose(serverJavaHome);
        for (ModelCatalog.Model model : ModelCatalog.read(jvm.java(), serverJar).all()) {
            out.printf(java.util.Locale.ROOT, "%-17s %-10s %s%s%n", model.name(), model.compared() ? "default" : "on request",
                    model.summary(), model.unavailable() == null ? "" : " (unavailable on the servers' JVM: " + model.unavailable() + ")");
        }
    }
}
