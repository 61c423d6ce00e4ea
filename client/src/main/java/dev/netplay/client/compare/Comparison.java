package dev.netplay.client.compare;

import dev.netplay.client.load.LoadOptions;
import dev.netplay.client.load.LoadPlan;
import dev.netplay.client.load.LoadRunner;
import dev.netplay.client.load.Progress;
import dev.netplay.client.load.Target;
import dev.netplay.client.report.Report;
import dev.netplay.client.results.TargetResult;
import dev.netplay.common.cli.ExitCodes;
import io.netty.channel.EventLoopGroup;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The one-command comparison: each model in its own process, swept in turn, then one report. */
public final class Comparison {
    /** The release that made virtual threads final. */
    private static final int VIRTUAL_THREADS_JAVA = 21;

    /** Everything compare was asked for, defaults resolved. */
    public record Settings(List<Integer> levels, String request, Duration warmup, Duration duration, List<String> models,
                           int poolSize, Duration timeout, int rampRate, Path out, Path serverJar, Path serverJavaHome,
                           String commandLine) {
    }

    private final Settings settings;
    private final PrintStream out;
    private final PrintStream err;
    private final List<ServerLauncher> running = new CopyOnWriteArrayList<>();

    public Comparison(Settings settings, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    public int run() throws Exception {
        List<ServerModelSpec> models = new ArrayList<>();
        if (settings.models() == null) {
            models.addAll(ServerModelSpec.DEFAULT);
        } else {
            for (String m : settings.models()) {
                models.add(ServerModelSpec.parse(m));
            }
        }
        if (!Files.isRegularFile(settings.serverJar())) {
            throw new IllegalArgumentException("--server-jar " + settings.serverJar() + " does not exist (build it: mvn -DskipTests package)");
        }
        Path dir = settings.out() != null ? settings.out()
                : Path.of("results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        LoadOptions options = new LoadOptions();
        options.request = settings.request();
        options.warmup = settings.warmup();
        options.duration = settings.duration();
        options.timeout = settings.timeout();
        options.rampRate = settings.rampRate();
        options.out = dir;
        LoadPlan plan = options.toPlan(settings.levels(), settings.commandLine(), List.of());

        List<String> notes = new ArrayList<>();
        Path java = serverJava(models, notes);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(ServerLauncher::close), "stop-servers"));

        LoadRunner runner = new LoadRunner(plan, out, Progress.forConsole(err));
        String started = LoadRunner.now();
        List<TargetResult> results = new ArrayList<>();
        EventLoopGroup group = LoadRunner.newGroup(plan.ioThreads());
        try {
            for (ServerModelSpec model : models) {
                List<String> args = new ArrayList<>(model.args);
                if (model == ServerModelSpec.THREADS_POOL) {
                    args.addAll(List.of("--pool-size", Integer.toString(settings.poolSize())));
                }
                ServerLauncher server = ServerLauncher.start(java, settings.serverJar(), args, dir.resolve("server-" + model.label + ".log"));
                running.add(server);
                try {
                    err.printf("%s: pid %d on 127.0.0.1:%d%n", model.label, server.pid(), server.port());
                    results.add(runner.runTarget(new Target(model.label, "127.0.0.1", server.port()), group));
                } finally {
                    int exit = server.stop();
                    running.remove(server);
                    if (exit != 0) {
                        notes.add(model.label + " exited with " + exit + " after SIGTERM; see " + server.log().getFileName());
                    }
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        runner.finish(started, results, notes);
        Path report = Report.write(List.of(dev.netplay.client.results.ResultsFiles.read(dir)), dir);
        out.println("report: " + report.toAbsolutePath());
        return ExitCodes.OK;
    }

    /** One JVM for every model, for a fair comparison: a JDK 21+ if there is one, so virtual threads can run. */
    private Path serverJava(List<ServerModelSpec> models, List<String> notes) {
        if (settings.serverJavaHome() != null) {
            Path java = settings.serverJavaHome().resolve("bin/java");
            if (!Files.isExecutable(java)) {
                throw new IllegalArgumentException("--server-java-home " + settings.serverJavaHome() + " has no bin/java");
            }
            int feature = JdkFinder.feature(settings.serverJavaHome());
            if (feature < VIRTUAL_THREADS_JAVA && models.remove(ServerModelSpec.THREADS_VIRTUAL)) {
                notes.add("threads-virtual is absent: virtual threads need Java " + VIRTUAL_THREADS_JAVA + "+, and the servers' JDK is " + feature);
            }
            notes.add("every server ran on " + settings.serverJavaHome());
            return java;
        }
        Optional<JdkFinder.Jdk> jdk = JdkFinder.find(VIRTUAL_THREADS_JAVA);
        if (jdk.isPresent()) {
            notes.add("every server ran on Java " + jdk.get().feature() + " (" + jdk.get().home() + "), the load client on Java "
                    + System.getProperty("java.version"));
            return jdk.get().java();
        }
        if (models.remove(ServerModelSpec.THREADS_VIRTUAL)) {
            notes.add("threads-virtual is absent: virtual threads need Java " + VIRTUAL_THREADS_JAVA + "+, and no JDK 21+ was found "
                    + "(this JVM is " + System.getProperty("java.version") + "; looked at JAVA_HOME and /usr/lib/jvm)");
        }
        notes.add("every server ran on Java " + System.getProperty("java.version"));
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
