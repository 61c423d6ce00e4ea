package dev.netplay.client.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol (Java's own WebSocket client, no extra library): loads a page,
 * collects console errors and failed loads, evaluates an expression. Stopped by its PID when closed.
 */
final class HeadlessChromium implements AutoCloseable {
    /** Names Chromium goes by on Linux distributions, tried on the PATH in this order; CHROME_BIN overrides. */
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    /** The browser found, or null. */
    static final Path BINARY = find();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on ws://[^:]+:(\\d+)/");
    private static final long TIMEOUT_SECONDS = 60;

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    private static Path find() {
        String override = System.getenv("CHROME_BIN");
        if (override != null && !override.isBlank()) {
            return Files.isExecutable(Path.of(override)) ? Path.of(override) : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            for (String name : NAMES) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    HeadlessChromium() throws Exception {
        profile = Files.createTempDirectory("netplay-chromium");
        // The flags this machine needs: no sandbox as root, and no background traffic to a network that is not there.
        process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", "about:blank")
                .redirectErrorStream(true).start();
        int port = devtoolsPort();
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String pageUrl = null;
        for (JsonNode target : json.readTree(list)) {
            if (target.get("type").asText().equals("page")) {
                pageUrl = target.get("webSocketDebuggerUrl").asText();
            }
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new Listener()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        call("Runtime.enable", "{}");
        call("Log.enable", "{}");
        call("Page.enable", "{}");
    }

    private int devtoolsPort() throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = DEVTOOLS.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // chromium ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IOException("chromium printed no DevTools address");
    }

    /** Loads a page and waits for its load event (every image loaded or failed). */
    void open(Path file) throws Exception {
        loaded = new CompletableFuture<>();
        call("Page.navigate", "{\"url\":" + json.writeValueAsString(file.toUri().toString()) + "}");
        loaded.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The value of a JavaScript expression in the page, as JSON. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", "{\"expression\":" + json.writeValueAsString(expression) + ",\"returnByValue\":true}");
        return result.at("/result/value");
    }

    /** Console errors, uncaught exceptions and failed resource loads seen so far. */
    List<String> problems() {
        return new ArrayList<>(problems);
    }

    private JsonNode call(String method, String params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        JsonNode answer = reply.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.get("result");
    }

    private void onMessage(String text) throws IOException {
        JsonNode msg = json.readTree(text);
        if (msg.has("id")) {
            CompletableFuture<JsonNode> reply = pending.remove(msg.get("id").asInt());
            if (reply != null) {
                reply.complete(msg);
            }
            return;
        }
        String method = msg.path("method").asText();
        JsonNode params = msg.path("params");
        switch (method) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> problems.add("exception: " + params.at("/exceptionDetails/text").asText());
            case "Runtime.consoleAPICalled" -> {
                if (params.path("type").asText().equals("error")) {
                    problems.add("console.error: " + params.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                if (params.at("/entry/level").asText().equals("error")) {
                    problems.add("log: " + params.at("/entry/text").asText() + " " + params.at("/entry/url").asText());
                }
            }
            default -> {
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    onMessage(partial.toString());
                } catch (IOException e) {
                    problems.add("unreadable DevTools message: " + e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        if (socket != null) {
            socket.abort();
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
