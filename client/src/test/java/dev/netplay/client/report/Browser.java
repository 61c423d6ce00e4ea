package dev.netplay.client.report;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

/**
 * Headless Chromium driven by Selenium WebDriver through the distribution's chromedriver (Debian's
 * {@code chromium-driver}): no browser or driver is downloaded. The page gets no network: every request that is not
 * a file goes to a closed proxy and fails, so a page that needed one shows it as a console error.
 */
final class Browser implements AutoCloseable {
    /** Names Chromium goes by on Linux distributions, tried on the PATH in this order; CHROME_BIN overrides. */
    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    static final Path CHROMIUM = find("CHROME_BIN", BROWSERS);
    /** chromedriver; CHROMEDRIVER overrides (Debian's chromium-driver installs /usr/bin/chromedriver). */
    static final Path DRIVER = find("CHROMEDRIVER", List.of("chromedriver"));
    /** The closed port every request off disk is sent to: the discard port, which nothing here listens on. */
    private static final String NO_NETWORK_PROXY = "127.0.0.1:9";
    private static final Duration PAGE_LOAD = Duration.ofSeconds(60);

    final ChromeDriver driver;

    Browser(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=" + width + "," + height, "--proxy-server=" + NO_NETWORK_PROXY, "--proxy-bypass-list=<-loopback>");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD).scriptTimeout(PAGE_LOAD);
    }

    static boolean available() {
        return CHROMIUM != null && DRIVER != null;
    }

    void open(Path page) {
        driver.get(page.toUri().toString());
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The console's errors and failed loads since the last call. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    @Override
    public void close() {
        driver.quit(); // ends Chromium and stops the chromedriver process the service started
    }

    private static Path find(String override, List<String> names) {
        String given = System.getenv(override);
        if (given != null && !given.isBlank()) {
            return Files.isExecutable(Path.of(given)) ? Path.of(given) : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            for (String name : names) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
