package dev.netplay.common.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A process read from its /proc directory: captured copies here, and this very JVM. */
class ProcessSnapshotTest {
    @TempDir
    Path proc;

    /** A /proc/PID of a process named with spaces and parentheses, with {@code threads} threads under task/. */
    private Path process(int threads) throws IOException {
        Path dir = Files.createDirectories(proc.resolve("4242"));
        // utime 250 ticks, stime 130 ticks (fields 14 and 15)
        Files.writeString(dir.resolve("stat"), "4242 (python3 (a b)) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 130 0 0 20 0 "
                + threads + " 0 12345 30000000 2000\n");
        Files.writeString(dir.resolve("status"), "Name:\tpython3\nVmRSS:\t   20480 kB\nThreads:\t" + threads + "\n");
        for (int t = 0; t < threads; t++) {
            Path task = Files.createDirectories(dir.resolve("task").resolve(Integer.toString(4242 + t)));
            Files.writeString(task.resolve("status"), "voluntary_ctxt_switches:\t4\nnonvoluntary_ctxt_switches:\t1\n");
            Files.writeString(task.resolve("schedstat"), "1000 300 5\n");
        }
        return dir;
    }

    @Test
    void aProcessOfManyThreadsIsReadWholeFromItsKernelFiles() throws IOException {
        ProcessSnapshot s = ProcessSnapshot.read(process(1_500));
        assertThat(s.userNanos()).isEqualTo(2_500_000_000L);
        assertThat(s.systemNanos()).isEqualTo(1_300_000_000L);
        assertThat(s.cpuNanos()).isEqualTo(3_800_000_000L);
        assertThat(s.rssBytes()).isEqualTo(20_480L * 1024);
        assertThat(s.threads()).isEqualTo(1_500);
        assertThat(s.scheduling().threads()).isEqualTo(1_500);
        assertThat(s.scheduling().stride()).as("above 1,024 threads a sample, scaled").isGreaterThan(1);
        assertThat(s.scheduling().voluntary()).isEqualTo(4L * 1_500);
        assertThat(s.scheduling().waitNanos()).isEqualTo(300L * 1_500);
    }

    @Test
    void aProcessThatExitedBetweenTwoReadsIsUnknownNotZero() throws IOException {
        Path dir = process(3);
        assertThat(ProcessSnapshot.read(dir)).isNotNull();
        Files.delete(dir.resolve("stat")); // gone before its stat was read: only part of its directory listed
        assertThat(ProcessSnapshot.read(dir)).isNull();
        assertThat(ProcessSnapshot.read(proc.resolve("999999"))).as("never there").isNull();
    }

    @Test
    void thisJvmReadsItselfByItsPid() {
        ProcessSnapshot s = ProcessSnapshot.read(ProcessHandle.current().pid());
        assertThat(s).isNotNull();
        assertThat(s.threads()).isPositive();
        assertThat(s.rssBytes()).isPositive();
        assertThat(s.scheduling().threads()).isPositive();
    }
}
