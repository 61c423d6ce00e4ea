package dev.netplay.client.results;

import dev.netplay.client.report.Report;
import dev.netplay.client.report.ReportTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The figure catalogue is what every output prints: results.csv, the text tables and report.html. */
class FiguresTest {
    @TempDir
    Path dir;

    /** The sample run, its levels given a backend, so that every table has rows. */
    private static RunResult run() {
        RunResult sample = ReportTest.sampleRun();
        List<TargetResult> targets = sample.targets().stream().map(t -> new TargetResult(t.name(), t.address(), t.server(),
                t.levels().stream().map(l -> l.withBackend(new LevelResult.BackendUse(900.0, 12.5, 3.25, 1000L, 1.5))).toList(),
                t.totals(), t.launch())).toList();
        return new RunResult(sample.tool(), sample.startedAt(), sample.finishedAt(), sample.parameters(), sample.machine(), targets);
    }

    @Test
    void everyFigureHasAColumnInResultsCsvInTheCataloguesOrderAndNamesAreUnique() throws Exception {
        ResultsFiles.write(run(), dir);
        List<String> lines = Files.readAllLines(dir.resolve(ResultsFiles.CSV));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        assertThat(header).containsExactlyElementsOf(ResultsFiles.CSV_COLUMNS);
        assertThat(header.subList(1, header.size())).containsExactlyElementsOf(Figures.ALL.stream().map(Figure::csv).toList());
        assertThat(new HashSet<>(header)).hasSameSizeAs(header);
        assertThat(lines.get(1)).startsWith("netty,100,100,990,99,100,0.99,");
    }

    @Test
    void everyFigureWithATextHeaderIsInTheTextTablesWithItsValue() {
        RunResult run = run();
        String text = SummaryTable.render(run) + SummaryTable.renderCosts(run) + SummaryTable.renderBackend(run);
        LevelResult level = run.targets().get(0).levels().get(0);
        for (Figure<LevelResult> f : Figures.ALL) {
            if (f.text() != null) {
                assertThat(text).as(f.csv()).contains(f.textHeader().trim()).contains(f.textCell(level).trim());
            }
        }
        assertThat(text).contains("1.5").contains("server-cpu");
    }

    @Test
    void everyFigureWithAnHtmlHeaderIsInTheReportWithItsValue() throws Exception {
        RunResult run = run();
        String html = Files.readString(Report.write(List.of(run), dir));
        LevelResult level = run.targets().get(1).levels().get(1);
        for (Figure<LevelResult> f : Figures.ALL) {
            if (f.html() != null) {
                assertThat(html).as(f.csv()).contains("<th>" + f.html().header().replace("&", "&amp;") + "</th>");
                String v = f.htmlText(level);
                if (v != null) {
                    assertThat(html).as(f.csv()).contains(">" + v.replace("&", "&amp;").replace("<", "&lt;") + "</td>");
                }
            }
        }
        assertThat(html).contains("client-cpu — measures the load client, not the server");
    }

    @Test
    void aFigureDeclaredOnceGivesItsCsvCellTextCellHtmlCellAndChartPoint() {
        // What a new line of Figures.ALL is: one declaration, read by every output.
        Figure<LevelResult> rq = new Figure<LevelResult>(Figure.Table.COSTS, "runqueue_wait_us_per_req",
                l -> l.diagnosis().runqueueWaitUsPerReq(), new Figure.Shown("rq us", 8, Figure.printf("%.1f")),
                new Figure.Shown("run-queue µs/req", 0, Figure.printf("%,.1f")))
                .charted(new Figure.Chart("runqueue", Figure.Section.WHY, "Run-queue wait per request", "µs",
                        "run-queue wait per request (µs)", true, true, "Time runnable, waiting for a CPU."));
        LevelResult level = run().targets().get(1).levels().get(2); // threads at 10,000: 45 µs
        assertThat(rq.csvCell(level)).isEqualTo("45");
        assertThat(rq.textCell(level)).isEqualTo("    45.0");
        assertThat(rq.htmlText(level)).isEqualTo("45.0");
        assertThat(rq.plotted(level)).isEqualTo(45.0);
        assertThat(Figures.ALL).as("the catalogue's own line reads the same").anySatisfy(f -> {
            assertThat(f.csv()).isEqualTo(rq.csv());
            assertThat(f.csvCell(level)).isEqualTo(rq.csvCell(level));
            assertThat(f.chart()).isNotNull();
        });
    }

    @Test
    void everyDeclaredChartIsDrawnInTheReportAndAsAPictureWhereItSaysSo() throws Exception {
        Path report = Report.write(List.of(run()), dir);
        String html = Files.readString(report);
        List<Figure.Chart> charts = Figures.charted().stream().map(Figure::chart).toList();
        assertThat(charts).extracting(Figure.Chart::id).doesNotHaveDuplicates().contains("threads", "rss", "cpu", "runqueue");
        for (Figure.Chart c : charts) {
            assertThat(html).as(c.id()).contains("id=\"chart-" + c.id() + "\"", c.title());
            if (c.picture()) {
                assertThat(dir.resolve(c.id() + ".png")).as(c.id()).isNotEmptyFile();
            }
        }
    }

    @Test
    void everyFigureIsPrintedSomewhereOrIsNamedAsResultsCsvOnly() {
        Set<String> csvOnly = Set.of("requests", "p999_ms", "connect_failures", "client_cpu_percent",
                "repeats", "achieved_min", "achieved_max", "unstable", "client_lag_p50_ms", "profile_engine"); // achieved_* to client_lag: under each cell
        for (Figure<LevelResult> f : Figures.ALL) {
            assertThat(f.text() != null || f.html() != null || csvOnly.contains(f.csv())).as(f.csv()).isTrue();
        }
    }

    @Test
    void theBoundStaysTypedThroughResultsJson() throws Exception {
        ResultsFiles.write(run(), dir);
        assertThat(Files.readString(dir.resolve(ResultsFiles.JSON))).contains("\"bound\" : \"server-cpu\"");
        RunResult back = ResultsFiles.read(dir);
        assertThat(back.targets().get(1).levels().get(2).diagnosis().bound()).isEqualTo(Bound.SERVER_CPU);
        assertThat(back.targets().get(1).levels().get(1).diagnosis().bound()).isEqualTo(Bound.CLIENT_CPU);
    }

    /** With a mix: the by-command figures are in results-by-command.csv, the text table and report.html, from one list. */
    @Test
    void everyByCommandFigureIsInItsCsvTheTextTableAndTheReport() throws Exception {
        RunResult sample = run();
        LevelResult.CommandFigures ping = new LevelResult.CommandFigures(9000, 900.0,
                new LevelResult.Latency(0.25, 0.5, 0.75, 1.0, 2.5, 0.3, 9000));
        List<TargetResult> targets = sample.targets().stream().map(t -> new TargetResult(t.name(), t.address(), t.server(),
                t.levels().stream().map(l -> l.withByCommand(java.util.Map.of("PING", ping))).toList(), t.totals(), t.launch())).toList();
        RunResult run = new RunResult(sample.tool(), sample.startedAt(), sample.finishedAt(), sample.parameters(),
                sample.machine(), targets);
        ResultsFiles.write(run, dir);
        List<String> csv = Files.readAllLines(dir.resolve(ResultsFiles.CSV_BY_COMMAND));
        assertThat(csv.get(0)).isEqualTo("target,connections,request,requests,throughput_rps,p50_ms,p90_ms,p99_ms,p999_ms,max_ms");
        assertThat(csv.get(1)).isEqualTo("netty,100,PING,9000,900,0.25,0.5,0.75,1,2.5");
        String text = SummaryTable.renderByCommand(run);
        String html = Files.readString(Report.write(List.of(run), dir));
        Figures.CommandRow row = Figures.CommandRow.of(targets.get(0).levels().get(0)).get(0);
        for (Figure<Figures.CommandRow> f : Figures.BY_COMMAND) {
            if (f.text() != null) {
                assertThat(text).as(f.csv()).contains(f.textHeader().trim()).contains(f.textCell(row).trim());
            }
            if (f.html() != null) {
                assertThat(html).as(f.csv()).contains("<th>" + f.html().header() + "</th>").contains(">" + f.htmlText(row) + "</td>");
            }
        }
    }
}
