package dev.netplay.client;

import dev.netplay.client.profile.AsyncProfilerAgent;
import dev.netplay.client.profile.PerfRecorder;
import dev.netplay.client.profile.WindowProfiler;
import dev.netplay.client.results.LevelResult.ProfileFigures;
import dev.netplay.common.cli.ExitCodes;
import dev.netplay.common.cli.Units;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One running server profiled as compare --profile profiles each window: for a set time, or until SIGINT or SIGTERM
 * (how scripts/bench stops it after a run). Prints where the CPU went; writes the files into {@code --out}.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Profiles a running server process as compare --profile does (async-profiler on a JVM, or perf), "
                + "for --for or until interrupted; writes collapsed stacks and flame graph pages, prints where its CPU went.")
final class ProfileCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--pid", required = true, paramLabel = "PID", description = "The server's process id (on this machine).")
    long pid;

    @Option(names = "--for", converter = Units.DurationConverter.class, paramLabel = "DURATION",
            description = "How long to profile, e.g. 10s (default: until SIGINT or SIGTERM).")
    Duration duration;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the profiles/ folder goes (default: the current directory).")
    Path out = Path.of(".");

    @Option(names = "--name", paramLabel = "NAME", description = "The files' name (default: pid-PID).")
    String name;

    @Option(names = "--perf", description = "Use Linux perf (a server that is not a JVM) instead of async-profiler.")
    boolean perf;

    @Override
    public Integer call() throws Exception {
        if (pid < 1 || !Files.isDirectory(Path.of("/proc", Long.toString(pid)))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--pid " + pid + ": no such process on this machine");
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--for " + Units.formatDuration(duration)
                    + " must be longer than 0");
        }
        String file = name != null ? name : "pid-" + pid;
        WindowProfiler profiler = perf ? PerfRecorder.in(out) : AsyncProfilerAgent.in(out);
        WindowProfiler.Session session = profiler.start(pid, file);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                written.await(2, TimeUnit.MINUTES); // let the profile be written before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        if (duration != null) {
            stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            stop.await();
        }
        ProfileFigures f = session.stop();
        spec.commandLine().getOut().println(describe(file, f));
        spec.commandLine().getOut().flush();
        written.countDown();
        return f.cpu() == null ? ExitCodes.FAILED : ExitCodes.OK;
    }

    static String describe(String name, ProfileFigures f) {
        if (f.cpu() == null) {
            return name + ": no profile: " + f.note();
        }
        return String.format(Locale.ROOT, "%s: %s, %,d samples: scheduler %s, network %s, GC %s, JIT %s, netplay %s, other %s "
                        + "(%s)%s", name, f.engine(), f.samples(), pct(f.schedulerPct()), pct(f.networkPct()), pct(f.gcPct()),
                pct(f.jitPct()), pct(f.netplayPct()), pct(f.otherPct()), f.cpuHtml(), f.note() == null ? "" : "; " + f.note());
    }

    private static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f%%", v);
    }
}
