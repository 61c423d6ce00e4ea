package dev.netplay.client.profile;

import dev.netplay.client.results.LevelResult.ProfileFigures;
import one.convert.Arguments;
import one.convert.FlameGraph;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Profiles a server that is not netplay's JVM (redis-server, the Python servers, a user's command) with Linux perf:
 * {@code perf record -g} on the process over the window, its CPU samples with kernel and native frames, folded into
 * collapsed stacks and drawn as a flame graph page. No wall-clock profile: perf samples running threads only. Where
 * perf is missing or refused, no profile, and why.
 */
public final class PerfRecorder implements WindowProfiler {
    /** Samples per second of CPU: an odd rate, so as not to beat with the kernel's own 100 Hz and 1,000 Hz timers. */
    static final int FREQUENCY_HZ = 997;
    private static final long START_CHECK_MILLIS = 300;
    private static final long STOP_TIMEOUT_S = 30;
    private static final long SCRIPT_TIMEOUT_S = 120;

    private final Path dir;

    private PerfRecorder(Path dir) {
        this.dir = dir;
    }

    /** A recorder writing into {@code results}/profiles, or none and why where perf cannot run here. */
    public static WindowProfiler in(Path results) {
        String missing = missing();
        if (missing != null) {
            return WindowProfiler.none(missing);
        }
        try {
            return new PerfRecorder(ProfileFiles.dir(results));
        } catch (IOException e) {
            return WindowProfiler.none("the profiles folder could not be made: " + e.getMessage());
        }
    }

    /** Why perf cannot run here, or null if it answers. */
    static String missing() {
        try {
            Process p = new ProcessBuilder("perf", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? null
                    : "perf did not answer 'perf --version' (the linux-perf package)";
        } catch (IOException e) {
            return "perf is not installed (the linux-perf package): no profile of a server that is not netplay's JVM";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public Session start(long pid, String name) {
        Path data = dir.resolve(name + ".perf.data");
        Path log = dir.resolve(name + ".perf.log");
        Process perf;
        try {
            perf = new ProcessBuilder(List.of("perf", "record", "-F", Integer.toString(FREQUENCY_HZ), "-g", "-p",
                    Long.toString(pid), "-o", data.toString(), "-q"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (perf.waitFor(START_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                String said = lastLine(log);
                return () -> ProfileFigures.none("perf could not sample the server (exit " + perf.exitValue() + "): " + said);
            }
        } catch (IOException e) {
            return () -> ProfileFigures.none("perf did not start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return () -> ProfileFigures.none("interrupted");
        }
        return () -> stop(perf, name, data, log, pid);
    }

    private ProfileFigures stop(Process perf, String name, Path data, Path log, long pid) {
        try {
            boolean serverGone = !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            perf.destroy(); // SIGTERM: perf record writes what it has and exits
            if (!perf.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS)) {
                perf.destroyForcibly().waitFor();
                return ProfileFigures.none("perf did not stop within " + STOP_TIMEOUT_S + " s");
            }
            if (serverGone) {
                return ProfileFigures.none("the server exited mid-profile");
            }
            Process script = new ProcessBuilder("perf", "script", "-i", data.toString(), "-F", "comm,ip,sym")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Collapsed stacks;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8))) {
                stacks = PerfScript.fold(in);
            }
            if (!script.waitFor(SCRIPT_TIMEOUT_S, TimeUnit.SECONDS)) {
                script.destroyForcibly();
                return ProfileFigures.none("perf script did not finish within " + SCRIPT_TIMEOUT_S + " s");
            }
            Path cpu = ProfileFiles.file(dir, name, "cpu", "collapsed");
            stacks.write(cpu);
            FlameGraph.convert(cpu.toString(), ProfileFiles.file(dir, name, "cpu", "html").toString(),
                    new Arguments("--title", name + " perf"));
            Files.deleteIfExists(data);
            Files.deleteIfExists(log);
            return ProfileFiles.figures("perf", dir, name, false, false,
                    "perf: native and kernel frames; no wall-clock profile");
        } catch (IOException e) {
            return ProfileFigures.none("perf's samples could not be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProfileFigures.none("interrupted");
        }
    }

    private static String lastLine(Path log) {
        try {
            return Files.readString(log).strip().lines().reduce((a, b) -> b).orElse("(no output)");
        } catch (IOException e) {
            return "(no output)";
        }
    }
}
