package dev.netplay.common.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadSchedulingTest {
    @TempDir
    Path tasks;

    private void task(long tid, long voluntary, long involuntary, long run, long wait) throws IOException {
        Path dir = Files.createDirectories(tasks.resolve(Long.toString(tid)));
        Files.writeString(dir.resolve("status"), "Name:\tt" + tid + "\nvoluntary_ctxt_switches:\t" + voluntary
                + "\nnonvoluntary_ctxt_switches:\t" + involuntary + "\n");
        Files.writeString(dir.resolve("schedstat"), run + " " + wait + " 7\n");
    }

    @Test
    void sumsEveryThreadAndSkipsOneThatExitedMidRead() throws IOException {
        task(100, 10, 1, 1_000, 500);
        task(101, 20, 2, 2_000, 700);
        // Listed, but gone before its files were read: only its directory is left.
        Files.createDirectories(tasks.resolve("102"));
        // Its status was read, its schedstat was not.
        Path half = Files.createDirectories(tasks.resolve("103"));
        Files.writeString(half.resolve("status"), "voluntary_ctxt_switches:\t5\nnonvoluntary_ctxt_switches:\t5\n");

        ThreadScheduling.Totals t = ThreadScheduling.read(tasks);
        assertThat(t.threads()).isEqualTo(4);
        assertThat(t.threadsRead()).isEqualTo(2);
        assertThat(t.stride()).isEqualTo(1);
        assertThat(t.voluntary()).isEqualTo(30);
        assertThat(t.involuntary()).isEqualTo(3);
        assertThat(t.runNanos()).isEqualTo(3_000);
        assertThat(t.waitNanos()).isEqualTo(1_200);
        assertThat(t.readNanos()).isPositive();
    }

    @Test
    void manyThreadsAreSampledAndScaled() throws IOException {
        int threads = 2_200;
        for (int i = 0; i < threads; i++) {
            task(1_000 + i, 3, 1, 100, 40);
        }
        ThreadScheduling.Totals t = ThreadScheduling.read(tasks);
        assertThat(t.stride()).isEqualTo(ThreadScheduling.stride(threads)).isEqualTo(4);
        assertThat(t.threadsRead()).isBetween(ThreadScheduling.ALWAYS_READ + 500, ThreadScheduling.ALWAYS_READ + 560);
        // Every thread alike: the scaled sums are exact.
        assertThat(t.voluntary()).isEqualTo(3L * threads);
        assertThat(t.involuntary()).isEqualTo(threads);
        assertThat(t.waitNanos()).isEqualTo(40L * threads);
    }

    @Test
    void theStrideIsOneUpToTheExactLimitThenAPowerOfTwo() {
        assertThat(ThreadScheduling.stride(10)).isEqualTo(1);
        assertThat(ThreadScheduling.stride(ThreadScheduling.EXACT_THREADS)).isEqualTo(1);
        assertThat(ThreadScheduling.stride(1_064)).isEqualTo(1);
        assertThat(ThreadScheduling.stride(1_065)).isEqualTo(2);
        assertThat(ThreadScheduling.stride(10_000)).isEqualTo(16);
        assertThat(ThreadScheduling.stride(19_008)).isEqualTo(32);
        assertThat(ThreadScheduling.stride(19_990)).isEqualTo(32);
    }

    @Test
    void thisProcessReadsItself() {
        ThreadScheduling.Totals t = ThreadScheduling.read();
        assertThat(t).isNotNull();
        assertThat(t.threads()).isPositive();
        assertThat(t.voluntary() + t.involuntary()).isPositive();
        assertThat(t.runNanos()).isPositive();
    }
}
