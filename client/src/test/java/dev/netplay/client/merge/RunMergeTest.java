package dev.netplay.client.merge;

import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.ResultsFiles;
import dev.netplay.client.results.RunResult;
import dev.netplay.client.results.TargetResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The merge on synthetic hosts: known latencies in known intervals, so every merged figure can be checked exactly. */
class RunMergeTest {
    private static final long T0 = 1_800_000_000_000L; // ms since the epoch
    private static final long NS_PER_MS = 1_000_000;
    @TempDir
    Path dir;

    /** A host's level: {@code intervals} seconds of latencies around {@code centreMs}, its window opening at {@code startMs}. */
    private record Level(int connections, long startMs, int intervals, int perInterval, double centreMs, long wrongReplies) {
    }

    /** Every latency each host recorded, pooled: what the merged histogram must equal. */
    private final Histogram pooled = new Histogram(3);

    private Path host(String id, Level... levels) throws Exception {
        Path d = dir.resolve(id);
        Files.createDirectories(d);
        Random random = new Random(id.hashCode());
        List<LevelResult> results = new ArrayList<>();
        for (Level level : levels) {
            String hlog = "netty-" + level.connections() + ".hlog";
            Histogram whole = new Histogram(3);
            try (OutputStream out = Files.newOutputStream(d.resolve(hlog))) {
                HistogramLogWriter w = new HistogramLogWriter(out);
                w.outputLogFormatVersion();
                w.setBaseTime(level.startMs() - 2000);
                w.outputBaseTime(level.startMs() - 2000);
                w.outputLegend();
                Histogram warm = new Histogram(3);
                warm.setTag("warmup");
                warm.recordValue(5 * NS_PER_MS);
                warm.setStartTimeStamp(level.startMs() - 1000);
                warm.setEndTimeStamp(level.startMs());
                w.outputIntervalHistogram(warm);
                for (int i = 0; i < level.intervals(); i++) {
                    Histogram h = new Histogram(3);
                    for (int n = 0; n < level.perInterval(); n++) {
                        long v = (long) ((level.centreMs() + random.nextGaussian() * level.centreMs() / 10) * NS_PER_MS);
                        h.recordValue(Math.max(1, v));
                    }
                    h.setStartTimeStamp(level.startMs() + i * 1000L);
                    h.setEndTimeStamp(level.startMs() + (i + 1) * 1000L);
                    w.outputIntervalHistogram(h);
                    whole.add(h);
                }
            }
            pooled.add(whole);
            long requests = whole.getTotalCount();
            double seconds = level.intervals();
            double rps = requests / seconds;
            double ideal = level.connections() * 1000.0 / level.centreMs();
            LevelResult.Latency latency = new LevelResult.Latency(whole.getValueAtPercentile(50) / 1e6, 0,
                    whole.getValueAtPercentile(99) / 1e6, 0, whole.getMaxValue() / 1e6, 0, whole.getTotalCount());
            results.add(LevelResult.of(
                    new LevelResult.Connects(level.connections(), level.connections(), level.connections(), 0,
                            Map.of("refused", 0L), 1.0, 2.0, 3.0),
                    new LevelResult.Window(seconds, requests, rps, ideal, rps / ideal),
                    new LevelResult.Latencies(latency, null, List.of()),
                    new LevelResult.Errors(level.wrongReplies(), Map.of("wrong_reply", level.wrongReplies(), "timeouts", 0L), 0),
                    new LevelResult.ServerUse(9L, 1L, 1.0, 1.0, 1L, null), 10, hlog, null, null));
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("command", "client sweep --host-id " + id);
        parameters.put("hostId", id);
        TargetResult target = new TargetResult("netty", "10.213.0.1:7001", Map.of("server_model", "netty"), results,
                Map.of("completed", 1L), Map.of());
        ResultsFiles.write(new RunResult("netplay", "2027-01-15T08:00:00Z", "2027-01-15T08:01:00Z", parameters,
                Map.of("bootId", "b-" + id), List.of(target)), d);
        return d;
    }

    private RunResult merge(Path... hosts) throws Exception {
        return RunMerge.merge(RunMerge.read(List.of(hosts)), dir.resolve("merged"), "client merge");
    }

    @Test
    void twoHostsLatenciesAreAddedIntervalByIntervalAndTheirCountsSummed() throws Exception {
        Path a = host("a", new Level(1000, T0, 10, 2000, 100, 3));
        Path b = host("b", new Level(1000, T0 + 37, 10, 1000, 150, 4)); // 37 ms later: the same grid step
        LevelResult level = merge(a, b).targets().get(0).levels().get(0);

        assertThat(level.connections()).isEqualTo(2000);
        assertThat(level.requests()).isEqualTo(30_000);
        assertThat(level.throughputRps()).isEqualTo(3000.0);
        assertThat(level.idealRps()).isCloseTo(1000 * 1000 / 100.0 + 1000 * 1000 / 150.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(level.errors()).isEqualTo(7);
        assertThat(level.errorsByKind()).containsEntry("wrong_reply", 7L);
        assertThat(level.latency().count()).isEqualTo(pooled.getTotalCount());
        assertThat(level.latency().p99Ms()).as("the p99 of every sample pooled, not an average of the hosts'")
                .isEqualTo(pooled.getValueAtPercentile(99) / 1e6, org.assertj.core.data.Offset.offset(0.0005));
        assertThat(level.latency().maxMs()).isEqualTo(pooled.getMaxValue() / 1e6, org.assertj.core.data.Offset.offset(0.0005));
        assertThat(level.hosts()).extracting(LevelResult.HostShare::host).containsExactly("a", "b");
        assertThat(level.hosts()).extracting(LevelResult.HostShare::requests).containsExactly(20_000L, 10_000L);
        assertThat(level.note()).isNull();

        IntervalLogs.Log merged = IntervalLogs.read(dir.resolve("merged").resolve(level.hlog()));
        List<Histogram> window = merged.intervals().stream().filter(h -> h.getTag() == null).toList();
        assertThat(window).as("aligned: one interval per second, not one per host").hasSize(10);
        assertThat(window).allSatisfy(h -> assertThat(h.getTotalCount()).isEqualTo(3000));
        assertThat(merged.intervals().stream().filter(h -> "warmup".equals(h.getTag())).mapToLong(Histogram::getTotalCount).sum())
                .isEqualTo(2);
        assertThat(merged.window().getTotalCount()).isEqualTo(pooled.getTotalCount());
        assertThat(ResultsFiles.read(dir.resolve("merged")).targets().get(0).levels().get(0).hosts()).hasSize(2);

        RunResult read = ResultsFiles.read(dir.resolve("merged"));
        String html = Files.readString(dev.netplay.client.report.Report.write(List.of(read), List.of(dir.resolve("merged")),
                dir.resolve("merged")));
        assertThat(html).contains("Each host's part").contains("<td>a</td>").contains("<td>b</td>")
                .contains("\"id\":\"hosts\"").contains("Each host's share");
        assertThat(dev.netplay.client.results.SummaryTable.renderHosts(read)).contains("share%").containsPattern("a +1000 +20000");
    }

    @Test
    void aHostMissingALevelIsNamedAndTheLevelMergedFromTheOthers() throws Exception {
        Path a = host("a", new Level(1000, T0, 5, 100, 100, 0), new Level(3000, T0 + 60_000, 5, 300, 100, 0));
        Path b = host("b", new Level(1000, T0, 5, 100, 100, 0));
        List<LevelResult> levels = merge(a, b).targets().get(0).levels();
        assertThat(levels).extracting(LevelResult::connections).containsExactly(2000, 3000);
        LevelResult top = levels.get(1);
        assertThat(top.note()).contains("host b has no level 3000");
        assertThat(top.requests()).isEqualTo(1500);
        assertThat(top.hosts()).extracting(LevelResult.HostShare::note).containsExactly(null, "missing: no level 3000");
    }

    @Test
    void windowsThatDoNotOverlapAreNamedAsNotOneInterval() throws Exception {
        Path a = host("a", new Level(1000, T0, 10, 100, 100, 0));
        Path b = host("b", new Level(1000, T0 + 30_000, 10, 100, 100, 0));
        assertThat(merge(a, b).targets().get(0).levels().get(0).note())
                .contains("the hosts' windows overlap by 0% only (starts 30000 ms apart)").contains("--start-at");
    }

    @Test
    void twoRunsOfOneHostOrALevelWithoutItsLogAreRefused() throws Exception {
        Path a = host("a", new Level(1000, T0, 2, 10, 100, 0));
        Path again = dir.resolve("again");
        Files.createDirectories(again);
        Files.copy(a.resolve(ResultsFiles.JSON), again.resolve(ResultsFiles.JSON));
        assertThatThrownBy(() -> RunMerge.read(List.of(a, again))).hasMessageContaining("two runs have host id 'a'");

        Path b = host("b", new Level(1000, T0, 2, 10, 100, 0));
        Files.delete(b.resolve("netty-1000.hlog"));
        assertThatThrownBy(() -> merge(a, b)).hasMessageContaining("host b: level 1000 of netty has no interval log")
                .hasMessageContaining("does not average percentiles");
        assertThatThrownBy(() -> merge(a)).hasMessage("merge needs 2 or more runs (got 1)");
    }

    /** A results file may name files of its own folder only; a link is not followed out of it. */
    @Test
    void aLevelsLogOutsideItsFolderOrALinkedTimelineIsNotRead() throws Exception {
        Path a = host("a", new Level(1000, T0, 2, 10, 100, 0));
        Path b = host("b", new Level(1000, T0, 2, 10, 100, 0));
        Path secret = dir.resolve("secret");
        Files.createDirectories(secret);
        Files.copy(b.resolve("netty-1000.hlog"), secret.resolve("x.hlog"));
        Files.writeString(secret.resolve("x.server.tsv"), "PRIVATE KEY");
        String json = Files.readString(b.resolve(ResultsFiles.JSON));
        Files.writeString(b.resolve(ResultsFiles.JSON), json.replace("\"netty-1000.hlog\"", "\"../secret/x.hlog\""));
        assertThatThrownBy(() -> merge(a, b)).hasMessageContaining("host b: level 1000 of netty names its interval log "
                + "'../secret/x.hlog': a results file names files of its own folder only");
        Files.writeString(b.resolve(ResultsFiles.JSON), json.replace("\"netty-1000.hlog\"", "\"" + secret.resolve("x.hlog") + "\""));
        assertThatThrownBy(() -> merge(a, b)).hasMessageContaining("a results file names files of its own folder only");

        Files.writeString(b.resolve(ResultsFiles.JSON), json);
        Files.createSymbolicLink(a.resolve("netty-1000.server.tsv"), secret.resolve("x.server.tsv"));
        merge(a, b);
        assertThat(dir.resolve("merged")).isDirectoryNotContaining(p -> {
            try {
                return Files.isRegularFile(p) && Files.readString(p).contains("PRIVATE KEY");
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    /** An interval that declares a huge range is refused before it is decoded (it would take gigabytes). */
    @Test
    void anIntervalDeclaringAHugeRangeIsRefusedBeforeItIsDecoded() throws Exception {
        Path a = host("a", new Level(1000, T0, 2, 10, 100, 0));
        Path b = host("b", new Level(1000, T0, 2, 10, 100, 0));
        Histogram huge = new Histogram(1, Long.MAX_VALUE / 4, 5);
        huge.recordValue(1);
        huge.setStartTimeStamp(T0);
        huge.setEndTimeStamp(T0 + 1000);
        try (OutputStream out = Files.newOutputStream(b.resolve("netty-1000.hlog"))) {
            HistogramLogWriter w = new HistogramLogWriter(out);
            w.outputLogFormatVersion();
            w.outputLegend();
            w.outputIntervalHistogram(huge);
        }
        assertThatThrownBy(() -> merge(a, b)).hasMessageContaining("an interval declares values up to");
    }

    @Test
    void namesFromOtherHostsArePrintedWithoutTheirControlCharacters() {
        assertThat(dev.netplay.common.cli.TerminalText.safe("h\u001b[2J\u001b]0;x\u0007 1\n"))
                .isEqualTo("h\\x1b[2J\\x1b]0;x\\x07 1\n");
    }
}
