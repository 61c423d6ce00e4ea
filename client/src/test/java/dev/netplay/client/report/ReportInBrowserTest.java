package dev.netplay.client.report;

import dev.netplay.client.results.ResultsFiles;
import dev.netplay.client.results.RunResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * report.html in a real browser (headless Chromium at 1280 × 800, no network), built from a small saved run checked
 * in as test data (two models, two levels, two repeats, with their .hlog files).
 */
@Tag("full") // a browser: chromium and its driver start for each test (about 14 s); in -Pfull and CI
class ReportInBrowserTest {
    static final int WIDTH = 1280;
    static final int HEIGHT = 800;
    private static final Duration RENDER = Duration.ofSeconds(30);
    private static Browser browser;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        if (!Browser.available()) {
            assertThat(System.getenv("CI")).as("CI installs chromium and chromium-driver (.ci/run); one is missing").isNull();
        }
        assumeTrue(Browser.available(), "no chromium and chromedriver on the PATH (apt-get install chromium chromium-driver); CI runs this");
        browser = new Browser(WIDTH, HEIGHT);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    /** The checked-in run, copied so that the report is written beside its .hlog files as compare does. */
    private Path savedRun() throws IOException, URISyntaxException {
        Path source = Path.of(ReportInBrowserTest.class.getResource("/report-run/results.json").toURI()).getParent();
        Path copy = Files.createDirectories(dir.resolve("run"));
        try (var files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName().toString()));
            }
        }
        return copy;
    }

    private Path report(Path... runs) throws IOException {
        List<RunResult> results = new java.util.ArrayList<>();
        for (Path r : runs) {
            results.add(ResultsFiles.read(r));
        }
        return Report.write(results, List.of(runs), runs[0]);
    }

    /** Moves a real mouse over the throughput chart's first point (its tooltip then shows); returns the chart. */
    private WebElement hoverTheThroughputChartsFirstPoint() {
        WebElement chart = browser.driver.findElement(By.id("chart-throughput"));
        browser.driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", chart);
        @SuppressWarnings("unchecked")
        List<Number> point = (List<Number>) browser.js("const c = window.netplayCharts.throughput;"
                + "const p = c.getOption().series[0].data[0].value; return c.convertToPixel({seriesIndex: 0}, p);");
        long w = (Long) browser.js("return arguments[0].clientWidth", chart);
        long h = (Long) browser.js("return arguments[0].clientHeight", chart);
        new Actions(browser.driver).moveToElement(chart, (int) (point.get(0).doubleValue() - w / 2.0),
                (int) (point.get(1).doubleValue() - h / 2.0)).perform();
        return chart;
    }

    private void openAndRender(Path report) {
        browser.consoleErrors(); // the last page's
        browser.open(report);
        await().atMost(RENDER).until(() -> "ready".equals(browser.js("return document.body.getAttribute('data-charts')")));
    }

    @Test
    void theReportRendersOfflineWithNoConsoleErrorAndNoSidewaysScroll() throws Exception {
        openAndRender(report(savedRun()));
        assertThat(browser.consoleErrors()).as("console errors and failed loads").isEmpty();
        assertThat(browser.js("return document.querySelectorAll('script[src], link[href], img[src]').length"))
                .as("nothing loaded from anywhere: ECharts is inlined").isEqualTo(0L);
        assertThat((Long) browser.js("return document.documentElement.scrollWidth")).as("no horizontal scroll at 1280 px")
                .isLessThanOrEqualTo((Long) browser.js("return window.innerWidth"));
        assertThat((Long) browser.js("return Object.keys(window.netplayCharts).length")).isGreaterThanOrEqualTo(10);
    }

    @Test
    void theFirstScreenHoldsTheHeadlineAndTheThroughputChart() throws Exception {
        openAndRender(report(savedRun()));
        Long innerHeight = (Long) browser.js("return window.innerHeight");
        Number headline = (Number) browser.js("return document.querySelector('ul.headline').getBoundingClientRect().bottom");
        Number throughput = (Number) browser.js("return document.getElementById('chart-throughput').getBoundingClientRect().bottom");
        assertThat(headline.doubleValue()).isLessThanOrEqualTo(innerHeight);
        assertThat(throughput.doubleValue()).as("the whole throughput chart on the first screen").isLessThanOrEqualTo(innerHeight);
        assertThat((String) browser.js("return document.querySelector('ul.headline').innerText"))
                .contains("netty: ", "threads-platform: ", "of the ideal");
    }

    /**
     * Names come from results, and results from other hosts: a target named as HTML, a flight recording named as a
     * script URL, a name that would end the embedded JSON. The page renders every chart, hovering shows the names as
     * text, and no script of theirs runs on load, hover or click.
     */
    @Test
    void hostileNamesInTheResultsRunNoScriptOnLoadHoverOrClick() throws Exception {
        Path run = savedRun();
        String hostile = "<img src=x onerror=window.__pwned=1><!--<script>";
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(run.resolve("results.json").toFile());
        for (com.fasterxml.jackson.databind.JsonNode t : root.get("targets")) {
            com.fasterxml.jackson.databind.node.ObjectNode target = (com.fasterxml.jackson.databind.node.ObjectNode) t;
            target.put("name", hostile + target.get("name").asText());
            ((com.fasterxml.jackson.databind.node.ObjectNode) target.get("launch")).put("jfr", "javascript:window.__pwned=2");
        }
        json.writeValue(run.resolve("results.json").toFile(), root);

        openAndRender(report(run));
        assertThat((Long) browser.js("return Object.keys(window.netplayCharts).length")).as("every chart drawn")
                .isGreaterThanOrEqualTo(10);
        WebElement chart = hoverTheThroughputChartsFirstPoint();
        await().atMost(RENDER).untilAsserted(() -> assertThat(chart.getText()).contains("connections:").contains("<img src=x"));
        List<WebElement> recordings = browser.driver.findElements(By.xpath("//td[contains(., 'javascript:window.__pwned')]"));
        assertThat(recordings).as("the flight recordings' cells, shown as text").isNotEmpty();
        for (WebElement cell : recordings) {
            browser.driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", cell);
            new Actions(browser.driver).moveToElement(cell).click().perform();
        }
        assertThat(browser.js("return document.querySelectorAll('a[href^=\"javascript\" i]').length")).isEqualTo(0L);
        assertThat(browser.js("return document.querySelectorAll('img[src=\"x\"]').length")).as("no injected element").isEqualTo(0L);
        assertThat(browser.js("return window.__pwned === undefined")).as("no injected script ran").isEqualTo(true);
    }

    @Test
    void hoveringAPointShowsItsValueAndTheLegendHidesASeries() throws Exception {
        openAndRender(report(savedRun()));
        WebElement chart = hoverTheThroughputChartsFirstPoint();
        await().atMost(RENDER).untilAsserted(() -> assertThat(chart.getText()).contains("connections:", "requests/s"));

        String model = (String) browser.js("return window.netplayCharts.throughput.getOption().series[0].name");
        WebElement legendItem = chart.findElements(By.tagName("text")).stream().filter(t -> model.equals(t.getText()))
                .findFirst().orElseThrow(() -> new AssertionError("no legend item " + model));
        new Actions(browser.driver).moveToElement(legendItem).click().perform();
        await().atMost(RENDER).until(() -> Boolean.FALSE.equals(browser.js(
                "return window.netplayCharts.throughput.getOption().legend[0].selected[arguments[0]]", model)));
    }

    @Test
    void theOverTimeChartHasOnePointPerSecondOfTheWindowAndTheLogButtonSwitchesTheAxis() throws Exception {
        Path run = savedRun();
        RunResult saved = ResultsFiles.read(run);
        double window = saved.targets().get(0).levels().get(0).windowSeconds();
        openAndRender(report(run));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> levels = (List<Map<String, Object>>) browser.js(
                "return JSON.parse(document.getElementById('netplay-charts').textContent).find(c => c.id === 'overtime').option.levels");
        assertThat(levels).as("every repeat of every level").hasSizeGreaterThanOrEqualTo(4);
        for (Map<String, Object> level : levels) {
            List<?> points = (List<?>) level.get("points");
            long inWindow = points.stream().filter(p -> ((List<?>) p).get(5) == null).count();
            assertThat(inWindow).as(level.get("label") + ": one point per second of the " + window + " s window")
                    .isBetween((long) Math.floor(window), (long) Math.ceil(window) + 1);
            assertThat(points).as(level.get("label") + ": the ramp and the warm-up before it, tagged")
                    .anySatisfy(p -> assertThat(((List<?>) p).get(5)).isEqualTo("ramp"))
                    .anySatisfy(p -> assertThat(((List<?>) p).get(5)).isEqualTo("warmup"));
            assertThat((List<?>) level.get("server")).as(level.get("label") + ": the server's CPU and GC, second by second")
                    .hasSizeGreaterThanOrEqualTo((int) Math.floor(window));
        }
        assertThat((Long) browser.js("return window.netplayCharts.overtime.getOption().series[0].data.length"))
                .isEqualTo(((List<?>) levels.get(0).get("points")).size());
        assertThat((Long) browser.js("return window.netplayCharts.overtime.getOption().series[0].markArea.data.length"))
                .as("the ramp and the warm-up shaded").isEqualTo(2L);

        WebElement button = browser.driver.findElement(By.id("scale-throughput"));
        String before = (String) browser.js("return window.netplayCharts.throughput.getOption().yAxis[0].type");
        button.click();
        assertThat(browser.js("return window.netplayCharts.throughput.getOption().yAxis[0].type")).isNotEqualTo(before);
    }

    @Test
    void anOverlayOfTwoRunsShowsBoth() throws Exception {
        Path a = savedRun();
        Path b = Files.createDirectories(dir.resolve("second"));
        try (var files = Files.list(a)) {
            for (Path f : files.toList()) {
                Files.copy(f, b.resolve(f.getFileName().toString()));
            }
        }
        Path report = Report.write(List.of(ResultsFiles.read(a), ResultsFiles.read(b)), List.of(a, b), dir.resolve("both"));
        openAndRender(report);
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) browser.js("return window.netplayCharts.throughput.getOption().series.map(s => s.name)");
        assertThat(names).contains("netty (run 1)", "netty (run 2)", "threads-platform (run 1)", "threads-platform (run 2)");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    /**
     * The saved run with a profile at every level, as compare --profile leaves one: the stacks captured from netty and
     * threads-platform at 2,000 connections (test data), copied to each level's files, its figures computed from them.
     */
    static Path withProfiles(Path run) throws Exception {
        Path profiles = Files.createDirectories(run.resolve("profiles"));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(run.resolve("results.json").toFile());
        for (com.fasterxml.jackson.databind.JsonNode t : root.get("targets")) {
            String model = t.get("name").asText();
            for (com.fasterxml.jackson.databind.JsonNode l : t.get("levels")) {
                String name = model + "-" + l.get("connections").asInt();
                for (String kind : new String[] {"cpu", "wall"}) {
                    Files.copy(Path.of(ReportInBrowserTest.class.getResource("/profiles/" + model + "-2000." + kind + ".collapsed").toURI()),
                            profiles.resolve(name + "." + kind + ".collapsed"));
                }
                dev.netplay.client.profile.StackShares shares = dev.netplay.client.profile.StackShares.of(
                        dev.netplay.client.profile.Collapsed.read(profiles.resolve(name + ".cpu.collapsed")), true, true);
                com.fasterxml.jackson.databind.node.ObjectNode p = ((com.fasterxml.jackson.databind.node.ObjectNode) l).putObject("profile");
                p.put("engine", "cpu").put("cpu", "profiles/" + name + ".cpu.collapsed").put("wall", "profiles/" + name + ".wall.collapsed")
                        .put("samples", shares.samples()).put("schedulerPct", shares.schedulerPct()).put("networkPct", shares.networkPct())
                        .put("gcPct", shares.gcPct()).put("jitPct", shares.jitPct()).put("netplayPct", shares.netplayPct())
                        .put("otherPct", shares.otherPct());
            }
        }
        json.writeValue(run.resolve("results.json").toFile(), root);
        return run;
    }

    @Test
    void aFlameGraphDrawsOfflineAFrameIsFoundByNameAndTheLevelSwitches() throws Exception {
        openAndRender(report(withProfiles(savedRun())));
        await().atMost(RENDER).until(() -> "ready".equals(browser.js("return document.body.getAttribute('data-flames')")));
        assertThat(browser.consoleErrors()).as("console errors and failed loads").isEmpty();
        assertThat((Long) browser.js("return document.documentElement.scrollWidth")).as("no horizontal scroll at 1280 px")
                .isLessThanOrEqualTo((Long) browser.js("return window.innerWidth"));
        WebElement canvas = browser.driver.findElement(By.id("flame-canvas"));
        assertThat(canvas.getSize().getHeight()).as("a graph many frames deep").isGreaterThan(200);
        assertThat(canvas.getSize().getWidth()).isLessThanOrEqualTo(WIDTH);

        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("flame-model"))).selectByValue("threads-platform");
        org.openqa.selenium.support.ui.Select level = new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("flame-level")));
        level.selectByValue("100");
        assertThat(canvas.getAttribute("data-level")).isEqualTo("100");
        level.selectByValue("300");
        assertThat(canvas.getAttribute("data-level")).isEqualTo("300");
        assertThat(browser.driver.findElement(By.id("flame-caption")).getText()).contains("threads-platform at 300 connections");

        WebElement search = browser.driver.findElement(By.id("flame-search"));
        browser.driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", search);
        search.sendKeys("futex");
        await().atMost(RENDER).untilAsserted(() -> assertThat(browser.driver.findElement(By.id("flame-matched")).getText())
                .matches("\"futex\": [0-9.]+% of the samples"));
        assertThat(Long.parseLong(canvas.getAttribute("data-matched"))).as("samples under a futex frame").isPositive();

        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("flame-diff"))).selectByValue("netty");
        assertThat(browser.driver.findElement(By.id("flame-caption")).getText())
                .contains("differential: red where threads-platform spends a larger share than netty");
        browser.driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", canvas);
        @SuppressWarnings("unchecked")
        Map<String, Number> rect = (Map<String, Number>) browser.js(
                "const r = arguments[0].getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + 5};", canvas);
        new Actions(browser.driver).moveToLocation(rect.get("x").intValue(), rect.get("y").intValue()).perform(); // the root frame
        await().atMost(RENDER).untilAsserted(() -> assertThat(browser.driver.findElement(By.id("flame-info")).getText())
                .contains("samples", "(netty: "));
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
