package dev.netplay.client.report;

import dev.netplay.client.results.Bound;
import dev.netplay.client.results.Diagnosis;
import dev.netplay.client.results.Fixtures;
import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.ResultsFiles;
import dev.netplay.client.results.RunResult;
import dev.netplay.client.results.TargetResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

public class ReportTest {
    @TempDir
    Path dir;

    /** A run of two models at three levels, with figures chosen so the findings can be checked exactly. */
    public static RunResult sampleRun() {
        List<TargetResult> targets = new ArrayList<>();
        targets.add(new TargetResult("netty", "127.0.0.1:1", Map.of("server_model", "netty"),
                List.of(level(100, 99.0, 8L, 80.0, 0), level(1000, 990.0, 8L, 100.0, 0), level(10000, 9900.0, 8L, 200.0, 0)), Map.of(),
                Map.of("command", "taskset -c 1 java -Xms1g -Xmx1g -jar netplay-server.jar netty", "jfr", "server-netty.jfr")));
        targets.add(new TargetResult("threads-platform", "127.0.0.1:2", Map.of("server_model", "threads-platform"),
                List.of(level(100, 100.0, 108L, 80.0, 0), level(1000, 1000.0, 1008L, 200.0, 0), level(10000, 9000.0, 10008L, 1000.0, 12)), Map.of(), Map.of()));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("command", "scripts/compare --levels 100,1000,10000");
        parameters.put("request", "SLEEP 1000");
        parameters.put("targets", List.of());
        parameters.put("levels", List.of(100, 1000, 10000));
        parameters.put("model", "closed");
        parameters.put("rate", null);
        parameters.put("duration", "10s");
        parameters.put("notes", List.of("every server ran on Java 25"));
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", 2);
        machine.put("kernel", "6.1");
        return new RunResult("netplay", "2026-11-25T10:00:00Z", "2026-11-25T10:05:00Z", parameters, machine, targets);
    }

    private static LevelResult level(int c, double rps, Long threads, double rssMib, long errors) {
        List<double[]> distribution = List.of(new double[] {0, 1000.1}, new double[] {50, 1000.5}, new double[] {99, 1002.0},
                new double[] {99.9, 1010.0});
        return LevelResult.of(new LevelResult.Connects(c, c, c, 0, Map.of(), 0.1, 0.5, 1.0),
                new LevelResult.Window(10.0, (long) (rps * 10), rps, (double) c, rps / c),
                new LevelResult.Latencies(new LevelResult.Latency(1000.5, 1001.0, 1002.0, 1010.0, 1020.0, 1000.6, (long) (rps * 10)),
                        null, distribution),
                new LevelResult.Errors(errors, Map.of("timeouts", errors), errors),
                new LevelResult.ServerUse(threads, (long) (rssMib * 1024 * 1024), rssMib, rssMib * 1024 / c, (long) c, rps),
                5.0, null, null, diagnosis(c, threads));
    }

    /** The thread-per-connection model's top level is CPU-bound and its 1000-level client-bound; the rest are not. */
    private static Diagnosis diagnosis(int c, Long threads) {
        boolean threaded = threads > 100;
        Bound bound = threaded && c == 10000 ? Bound.SERVER_CPU : threaded && c == 1000 ? Bound.CLIENT_CPU : Bound.NONE;
        return Fixtures.diagnosis("serverCpus", "1", "clientCpus", "0", "machineCpuPercent", 60.0,
                "serverCoresPercent", threaded && c == 10000 ? 100.0 : 40.0, "clientCoresPercent", threaded && c == 1000 ? 95.0 : 30.0,
                "serverCpuPercent", 40.0, "clientCpuPercent", 30.0, "bound", bound, "serverCpuUsPerRequest", threaded ? 70.0 : 18.0,
                "serverUserUsPerReq", threaded ? 40.0 : 10.0, "serverSysUsPerReq", threaded ? 30.0 : 8.0, "gcPauseMsPerS", 1.5,
                "gcMaxPauseMs", 4.0, "liveHeapMib", 100.0, "liveHeapKibPerConn", threaded ? 12.5 : 2.5,
                "ctxSwitchesPerReq", threaded ? 3.5 : 0.2, "involuntaryPerReq", threaded ? 1.5 : 0.01,
                "runqueueWaitUsPerReq", threaded ? 45.0 : 1.0, "sleepOvershootP50Ms", 0.05, "sleepOvershootP99Ms", threaded ? 20.0 : 1.1,
                "schedThreads", threads, "schedReadMs", 3.0, "schedReadCpuMs", 2.0, "stealPercent", 0.5, "otherCpuPercent", 1.0,
                "clientLagP50Ms", 0.1, "clientLagP99Ms", 0.9);
    }

    @Test
    void theReportHasParametersMachineTableChartsAndComputedFindings() throws Exception {
        Path report = Report.write(List.of(sampleRun()), dir);
        String html = Files.readString(report);
        assertThat(html).contains("scripts/compare --levels 100,1000,10000", "every server ran on Java 25", "kernel", "6.1");
        for (String chart : List.of("throughput", "latency", "threads", "rss", "cpu", "cpu-split", "ctxswitch", "runqueue", "gc", "live",
                "errors", "percentiles")) {
            assertThat(html).contains("<a href=\"" + chart + ".png\">");
            assertThat(dir.resolve(chart + ".png")).isNotEmptyFile();
            assertThat(dir.resolve(chart + ".svg")).isNotEmptyFile();
        }
        // 9000 / 10000 ideal = 90.0%; 10008 / 8 threads = 1,251×; 1000 / 200 MiB = 5.00×
        assertThat(html).contains("At 10,000 connections, threads-platform completed 9,000 requests/s (90.0% of the ideal 10,000)")
                .contains("1,251× the threads", "5.00× the memory", "12 failed requests (12 of them timeouts)");
        assertThat(html).contains("Why: threads-platform at 10,000 bent to 90.0% of the ideal: 10,008 threads, 3.50 context switches "
                        + "and 45.0 µs run-queue wait per request", "its CPU 1 was 100% busy: CPU-bound.")
                .contains("Why: netty at 10,000 kept 99.0% of the ideal")
                .contains("threads-platform at 1,000 connections: the load client's CPU 0 was 95% busy, so that level measures the client")
                .contains("client-cpu — measures the load client, not the server")
                .contains("taskset -c 1 java -Xms1g -Xmx1g", "server-netty.jfr");
    }

    @Test
    void theParametersSayWhatWasRunInWords() throws Exception {
        String html = Files.readString(Report.write(List.of(sampleRun()), dir));
        assertThat(html).contains("<td>targets</td><td>netty (127.0.0.1:1), threads-platform (127.0.0.1:2): started by compare</td>",
                        "<td>connections per level</td><td>100, 1,000, 10,000</td>",
                        "<td>request rate</td><td>none: closed model, each connection sends its next request when the reply comes</td>")
                .doesNotContain("<td>[]</td>", "<td>null</td>");
    }

    @Test
    void aLogAxisOverLessThanTwentyTimesIsMadeLinearSoThatEveryTickIsLabelled() {
        XYChart narrow = new XYChartBuilder().xAxisTitle("connections").yAxisTitle("latency (ms)").build();
        narrow.getStyler().setXAxisLogarithmic(true);
        narrow.getStyler().setYAxisLogarithmic(true);
        narrow.addSeries("p99", List.of(100.0, 1000.0, 19000.0), List.of(1000.0, 1200.0, 6600.0));
        ChartSet.fitScales(narrow);
        assertThat(narrow.getStyler().isXAxisLogarithmic()).as("100 to 19,000: 190 times").isTrue();
        assertThat(narrow.getStyler().isYAxisLogarithmic()).as("1,000 to 6,600 ms: 6.6 times").isFalse();
        assertThat(narrow.getXAxisTitle()).isEqualTo("connections (log scale)");
        assertThat(narrow.getYAxisTitle()).isEqualTo("latency (ms)");
    }

    @Test
    void severalSavedRunsGoIntoOneReport() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        ResultsFiles.write(sampleRun(), a);
        ResultsFiles.write(sampleRun(), b);
        assertThat(Files.readAllLines(a.resolve("results.csv"))).hasSize(7);
        Path report = Report.write(List.of(ResultsFiles.read(a), ResultsFiles.read(b)), dir.resolve("both"));
        assertThat(Files.readString(report)).contains("netty (run 1)", "netty (run 2)", "Run 2:");
    }

    /** The sample run measured three times: the same levels, threads-platform's 10,000 spread over 59–97% of C/D. */
    static RunResult repeatedRun() {
        RunResult one = sampleRun();
        List<TargetResult> targets = new ArrayList<>();
        double[] platformAt10k = {9_700.0, 5_900.0, 7_600.0};
        for (TargetResult t : one.targets()) {
            List<TargetResult> sweeps = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                boolean threads = t.name().equals("threads-platform");
                List<LevelResult> levels = List.of(level(100, 99.0 + r * 0.5, threads ? 108L : 8L, 80.0, 0),
                        level(1000, threads ? 1000.0 : 990.0, threads ? 1008L : 8L, 100.0 + r, 0),
                        level(10000, threads ? platformAt10k[r] : 9_900.0 + r * 10, threads ? 10008L : 8L, 200.0, threads ? 12 : 0));
                sweeps.add(new TargetResult(t.name(), t.address(), t.server(), levels, Map.of(), t.launch()));
            }
            targets.add(dev.netplay.client.results.Repeats.merge(sweeps));
        }
        return new RunResult(one.tool(), one.startedAt(), one.finishedAt(), one.parameters(), one.machine(), targets);
    }

    @Test
    void repeatedRunsShowTheirMediansRangesAndUnstableLevelsAndStillOverlay() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        ResultsFiles.write(repeatedRun(), a);
        RunResult read = ResultsFiles.read(a);
        LevelResult platform10k = read.targets().get(1).levels().get(2);
        assertThat(platform10k.repeats()).as("every repeat kept in results.json").hasSize(3);
        assertThat(platform10k.throughputRps()).as("the median").isEqualTo(7_600.0);

        String html = Files.readString(Report.write(List.of(read), dir.resolve("one")));
        assertThat(html).contains("At 10,000 connections, threads-platform completed 7,600 requests/s (76.0% of the ideal 10,000; "
                + "59.0–97.0% in 3 runs: unstable, the model is at its edge here)");
        assertThat(html).contains("<small class=\"range\">5,900.0–9,700.0</small>", "<small class=\"unstable\">unstable</small>");
        assertThat(dir.resolve("one").resolve("throughput.png")).isNotEmptyFile();
        String text = dev.netplay.client.results.SummaryTable.render(read);
        assertThat(text).contains("59.0-97.0 !").contains("99.0-100.0");

        Path b = Files.createDirectories(dir.resolve("b"));
        ResultsFiles.write(sampleRun(), b);
        String both = Files.readString(Report.write(List.of(ResultsFiles.read(a), ResultsFiles.read(b)), dir.resolve("both")));
        assertThat(both).as("a repeated run beside a single one").contains("threads-platform (run 1)", "threads-platform (run 2)",
                "59.0–97.0% in 3 runs");
    }

    @Test
    void theHeadlineSaysWhatEachModelHeldAndWhereItBent() {
        List<String> lines = Headline.of(Series.of(List.of(sampleRun())));
        assertThat(lines).containsExactly(
                "netty: 10,000 connections at 99.0% of the ideal on 8 threads and 200 MiB.",
                "threads-platform: 1,000 connections at 100.0% of the ideal on 1,008 threads and 200 MiB; at 10,000, 90.0%: "
                        + "its CPU was the limit.");
        List<String> repeated = Headline.of(Series.of(List.of(repeatedRun())));
        assertThat(repeated.get(1)).as("a bent level's spread over its repeats")
                .contains("at 10,000, 76.0% (59.0–97.0% in 3 runs)");
    }

    @Test
    void noTableOfTheReportHasMoreColumnsThanFitAt1280Pixels() throws Exception {
        String html = Files.readString(Report.write(List.of(repeatedRun()), dir));
        java.util.regex.Matcher rows = java.util.regex.Pattern.compile("<tr>(.*?)</tr>", java.util.regex.Pattern.DOTALL).matcher(html);
        int widest = 0;
        while (rows.find()) {
            String row = rows.group(1);
            int cells = row.split("<t[hd][ >]", -1).length - 1;
            widest = Math.max(widest, cells);
        }
        assertThat(widest).as("model, connections and at most " + Report.MAX_TABLE_COLUMNS + " figures")
                .isBetween(3, Report.MAX_TABLE_COLUMNS + 2);
        assertThat(html).contains("<th>failed requests</th>", "<th>of them timeouts</th>", "<th>failed connects</th>");
    }

    @Test
    void overTimeGivesOnePointPerIntervalOfALevelsLog() throws Exception {
        Path hlog = dir.resolve("netty-1000.hlog");
        try (var out = Files.newOutputStream(hlog)) {
            org.HdrHistogram.HistogramLogWriter writer = new org.HdrHistogram.HistogramLogWriter(out);
            writer.outputLogFormatVersion();
            writer.setBaseTime(999_000L);
            writer.outputBaseTime(999_000L);
            org.HdrHistogram.Histogram ramp = new org.HdrHistogram.Histogram(3); // the second before the window
            ramp.setStartTimeStamp(999_000L);
            ramp.setEndTimeStamp(1_000_000L);
            ramp.recordValueWithCount(1_000_000_000L, 400);
            ramp.setTag("ramp");
            writer.outputIntervalHistogram(ramp);
            for (int second = 0; second < 3; second++) {
                org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
                h.setStartTimeStamp(1_000_000L + second * 1000L);
                h.setEndTimeStamp(1_000_000L + (second + 1) * 1000L);
                h.recordValueWithCount(1_000_000_000L, 990); // 990 at 1 s
                h.recordValueWithCount(second == 2 ? 3_000_000_000L : 1_010_000_000L, 10); // the last second's tail 3 s
                writer.outputIntervalHistogram(h);
            }
        }
        List<OverTime.Point> all = OverTime.read(hlog);
        assertThat(all.get(0)).as("the ramp, before the window's zero").extracting(OverTime.Point::seconds, OverTime.Point::phase,
                OverTime.Point::rps).containsExactly(-1.0, "ramp", 400.0);
        List<OverTime.Point> points = all.subList(1, all.size());
        assertThat(points).hasSize(3).allSatisfy(p -> assertThat(p.phase()).isNull());
        assertThat(points.get(0).seconds()).isEqualTo(0.0);
        assertThat(points.get(2).seconds()).isEqualTo(2.0);
        assertThat(points).allSatisfy(p -> assertThat(p.rps()).isEqualTo(1000.0));
        assertThat(points.get(0).p50Ms()).isCloseTo(1000.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(points.get(2).maxMs()).as("the stall shows in its second").isCloseTo(3000.0, org.assertj.core.data.Offset.offset(3.0));
        assertThat(OverTime.read(dir.resolve("missing.hlog"))).isEmpty();
    }

    @Test
    void theServersTimelineGivesItsCpuAndGcPerSecondOnTheLogsAxis() throws Exception {
        Path tsv = dir.resolve("netty-1000.server.tsv");
        Files.writeString(tsv, String.join("\n",
                "# the server's INFO",
                "client_epoch_ms\tuptime_ms\tprocess_cpu_ns\tgc_pause_total_ms\tthreads_live\trss_bytes",
                "1000000\t5000\t1000000000\t10\t8\t104857600",
                "1001000\t6000\t1500000000\t30\t8\t209715200", // 0.5 s of CPU and 20 ms of GC in 1 s of uptime
                "1002000\t7000\t1500000000\t-1\t9\t209715200", ""));
        List<OverTime.ServerPoint> points = OverTime.server(tsv, 1_000_500L);
        assertThat(points).hasSize(2);
        assertThat(points.get(0)).isEqualTo(new OverTime.ServerPoint(-0.5, 50.0, 20.0, 8L, 200.0));
        assertThat(points.get(1).cpuPercent()).isEqualTo(0.0);
        assertThat(points.get(1).gcMsPerS()).as("not reported: unknown, not zero").isNull();
        assertThat(OverTime.server(dir.resolve("none.server.tsv"), 0)).isEmpty();
    }
}
