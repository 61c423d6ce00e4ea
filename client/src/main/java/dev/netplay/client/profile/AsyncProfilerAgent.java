package dev.netplay.client.profile;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.VirtualMachine;
import dev.netplay.client.results.LevelResult.ProfileFigures;
import dev.netplay.common.metrics.ProcFiles;
import one.convert.Arguments;
import one.convert.JfrToFlame;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Profiles a JVM server with async-profiler, attached for each window through the JVM's attach mechanism: CPU
 * samples on perf_events, which see the kernel's frames too, and wall-clock samples of every thread, running or
 * waiting, in one recording that is then split into collapsed stacks and the profiler's own flame graph pages. Where
 * perf_events is refused, or the server has more threads than it has file descriptors to spare (perf_events takes one
 * per thread), it samples with itimer, which sees no kernel frames, and says so.
 */
public final class AsyncProfilerAgent implements WindowProfiler {
    /** The profiler's native library inside its jar (tools.profiler:async-profiler, classifier linux-x64). */
    private static final String LIBRARY_RESOURCE = "/linux-x64/libasyncProfiler.so";
    /** One CPU sample per ms of CPU: about a thousand a second on a busy core, a few % of its time. */
    private static final String CPU_INTERVAL = "1ms";
    /** Wall-clock samples every 20 ms (the profiler samples a bounded number of threads each time). */
    private static final String WALL_INTERVAL = "20ms";
    /**
     * Descriptors left to the process beside the profiler's own (one per thread with perf_events): the window's
     * connections are all open before it starts, so a little room for its own files (logs, /proc reads) will do.
     */
    private static final int DESCRIPTOR_HEADROOM = 100;

    private final Path dir;
    private final Path library;

    private AsyncProfilerAgent(Path dir, Path library) {
        this.dir = dir;
        this.library = library;
    }

    /**
     * A profiler writing into {@code results}/profiles; null if this client has no profiler library for its platform
     * (say, not Linux on x86-64), with the reason in {@code why}.
     */
    public static WindowProfiler in(Path results) {
        String os = System.getProperty("os.name", "") + " " + System.getProperty("os.arch", "");
        if (!os.startsWith("Linux") || !(os.endsWith("amd64") || os.endsWith("x86_64"))) {
            return WindowProfiler.none("async-profiler's library here is for Linux on x86-64, not " + os);
        }
        try (InputStream in = AsyncProfilerAgent.class.getResourceAsStream(LIBRARY_RESOURCE)) {
            if (in == null) {
                return WindowProfiler.none("the client jar holds no " + LIBRARY_RESOURCE);
            }
            Path tmp = Files.createTempDirectory("netplay-async-profiler");
            Path library = tmp.resolve("libasyncProfiler.so");
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            library.toFile().deleteOnExit();
            tmp.toFile().deleteOnExit();
            return new AsyncProfilerAgent(ProfileFiles.dir(results), library);
        } catch (IOException e) {
            return WindowProfiler.none("the profiler's library could not be written: " + e.getMessage());
        }
    }

    @Override
    public Session start(long pid, String name) {
        Path jfr = dir.resolve(name + ".jfr");
        Path log = dir.resolve(name + ".profiler.log");
        String crowded = tooManyThreadsForPerfEvents(pid);
        String engine = crowded == null ? "cpu" : "itimer";
        String note = crowded;
        try {
            command(pid, start(engine, jfr, log));
        } catch (AgentInitializationException refused) { // the profiler itself said no: perf_events, say
            if (!engine.equals("cpu")) {
                return () -> ProfileFigures.none("the profiler could not sample the server: " + reason(refused, log));
            }
            String why = "perf_events refused (" + reason(refused, log) + "): itimer, no kernel frames";
            try {
                command(pid, start("itimer", jfr, log));
                engine = "itimer";
                note = why;
            } catch (Exception again) {
                return () -> ProfileFigures.none("neither perf_events nor itimer could sample the server: " + reason(again, log));
            }
        } catch (Exception refused) { // the JVM would not take the agent: attach disabled, not a JVM, gone
            return () -> ProfileFigures.none("the server did not take the profiler: " + reason(refused, log));
        }
        String used = engine;
        String said = note;
        return () -> stop(pid, name, jfr, log, used, said);
    }

    private ProfileFigures stop(long pid, String name, Path jfr, Path log, String engine, String note) {
        try {
            command(pid, "stop,file=" + jfr + ",log=" + log);
        } catch (Exception e) {
            return ProfileFigures.none(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    ? "the profiler did not stop: " + reason(e, log) : "the server exited mid-profile");
        }
        try {
            for (String kind : new String[] {"cpu", "wall"}) {
                JfrToFlame.convert(jfr.toString(), ProfileFiles.file(dir, name, kind, "collapsed").toString(),
                        new Arguments("--" + kind, "-o", "collapsed"));
                JfrToFlame.convert(jfr.toString(), ProfileFiles.file(dir, name, kind, "html").toString(),
                        new Arguments("--" + kind, "--title", name + " " + (kind.equals("cpu") ? engine : "wall clock")));
            }
            Files.deleteIfExists(jfr);
            Files.deleteIfExists(log);
            return ProfileFiles.figures(engine, dir, name, true, true, note);
        } catch (Exception e) {
            return ProfileFigures.none("the recording could not be read: " + e);
        }
    }

    private static String start(String engine, Path jfr, Path log) {
        return "start,event=" + engine + ",interval=" + CPU_INTERVAL + ",wall=" + WALL_INTERVAL + ",jfr,file=" + jfr
                + ",log=" + log;
    }

    private void command(long pid, String command) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            vm.loadAgentPath(library.toString(), command);
        } finally {
            vm.detach();
        }
    }

    /** Why a command failed: the profiler's own words from its log where it wrote some, else the attach error. */
    private static String reason(Exception e, Path log) {
        try {
            if (Files.exists(log)) {
                String said = Files.readString(log).strip();
                if (!said.isEmpty()) {
                    return said.lines().reduce((a, b) -> b).orElse(said);
                }
            }
        } catch (IOException ignored) {
            // fall back to the exception's words
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * Why perf_events would starve the server of descriptors (one per thread, counted against its own limit), or null
     * if it has room: the threads, its open files and some headroom must fit under its limit.
     */
    static String tooManyThreadsForPerfEvents(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            long open = fds.count();
            long threads = ProcFiles.statusNumber(ProcFiles.read(proc.resolve("status")), "Threads");
            long limit = openFilesLimit(proc.resolve("limits"));
            if (limit > 0 && threads + open + DESCRIPTOR_HEADROOM > limit) {
                return String.format(java.util.Locale.ROOT, "itimer, no kernel frames: perf_events takes a descriptor per "
                        + "thread, and %,d threads beside %,d open files would pass the process's limit of %,d", threads, open, limit);
            }
            return null;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static long openFilesLimit(Path limits) throws IOException {
        for (String line : Files.readAllLines(limits)) {
            if (line.startsWith("Max open files")) {
                String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                return parts[0].equals("unlimited") ? -1 : Long.parseLong(parts[0]);
            }
        }
        return -1;
    }
}
