package dev.netplay.client.profile;

import dev.netplay.client.results.LevelResult.ProfileFigures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The profilers meet processes that will not be profiled: a note each time, never an exception, and the run goes on. */
class WindowProfilerTest {
    private static final long SLEEP_MS = 120_000;
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopEveryProcess() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process start(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        started.add(p);
        return p;
    }

    private Process sleepingJvm() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = start(List.of(javaBin.toString(), "-XX:+EnableDynamicAgentLoading", "-cp", System.getProperty("java.class.path"),
                Sleeper.class.getName(), Long.toString(SLEEP_MS)));
        // attach signals the JVM (SIGQUIT): only once its main runs are its handlers surely in place
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Files.readString(dir.resolve("out.log")).contains("ready"));
        return jvm;
    }

    @Test
    void aProcessThatIsNotAJvmGivesANoteNotAProfile() throws Exception {
        Process sleep = start(List.of("sleep", "120"));
        ProfileFigures f = AsyncProfilerAgent.in(dir).start(sleep.pid(), "sleep-1").stop();
        assertThat(f.cpu()).isNull();
        assertThat(f.note()).startsWith("the server did not take the profiler: ");
        assertThat(sleep.isAlive()).as("the process is left as it was").isTrue();
    }

    @Test
    void aJvmThatExitsMidProfileGivesANote() throws Exception {
        Process jvm = sleepingJvm();
        WindowProfiler profiler = AsyncProfilerAgent.in(dir);
        WindowProfiler.Session session = profiler.start(jvm.pid(), "jvm");
        jvm.destroyForcibly();
        jvm.waitFor(10, TimeUnit.SECONDS);
        ProfileFigures f = session.stop();
        assertThat(f.cpu()).isNull();
        assertThat(f.note()).isEqualTo("the server exited mid-profile");
    }

    @Test
    void aLiveJvmIsProfiledIntoCollapsedStacksAndPages() throws Exception {
        Process jvm = sleepingJvm();
        WindowProfiler profiler = AsyncProfilerAgent.in(dir);
        WindowProfiler.Session session = profiler.start(jvm.pid(), "jvm");
        ProfileFigures f = session.stop();
        assertThat(f.note() == null || !f.note().startsWith("the server")).as(String.valueOf(f.note())).isTrue();
        assertThat(f.engine()).isIn("cpu", "itimer");
        assertThat(dir.resolve(f.cpu())).exists();
        assertThat(dir.resolve(f.cpuHtml())).content().contains("<canvas");
        assertThat(dir.resolve(f.wall())).exists();
        assertThat(dir.resolve(f.wallHtml())).exists();
        assertThat(jvm.isAlive()).as("profiling leaves the server running").isTrue();
    }

    @Test
    void aServerNotOnThisMachineIsNotProfiledAndSaysWhy() {
        ProfileFigures f = WindowProfiler.none("not started by compare").start(1, "x").stop();
        assertThat(f.engine()).isNull();
        assertThat(f.note()).isEqualTo("not started by compare");
    }

    @Test
    void perfOnAProcessThatIsGoneGivesANote() throws Exception {
        WindowProfiler perf = PerfRecorder.in(dir);
        Process gone = start(List.of("true"));
        gone.waitFor(10, TimeUnit.SECONDS);
        ProfileFigures f = perf.start(gone.pid(), "gone").stop();
        assertThat(f.cpu()).isNull();
        assertThat(f.note()).isNotBlank();
    }
}
