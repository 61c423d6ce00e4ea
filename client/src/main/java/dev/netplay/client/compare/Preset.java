package dev.netplay.client.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The servers a learner names rather than types: redis-server, and netplay's Python servers (python/netplay_py), which
 * answer the notebook's question in its own language. Each says what it is and whether this machine can run it.
 */
public enum Preset {
    REDIS("redis", "redis-server: C, one event loop (epoll), the server this protocol comes from; no persistence; "
            + "its slow request is BLPOP on an empty list, which parks the connection as SLEEP does",
            List.of("redis-server", "--port", TargetSpec.PORT, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--protected-mode", "no", "--maxclients", "100000", "--loglevel", "warning", "--hz", Integer.toString(Preset.REDIS_HZ)),
            new TargetSpec.SlowRequest("BLPOP netplay:nothing {s}", "*-1"),
            "redis-server", "install it: apt-get install redis-server"),
    PY_ASYNCIO("py-asyncio", "Python, asyncio's event loop on one thread (the notebook's first program); SLEEP is "
            + "await asyncio.sleep", python("netplay_py.asyncio_server"), null, "python3", "install Python 3.8 or later"),
    PY_UVLOOP("py-uvloop", "the same Python server on uvloop (libuv) instead of asyncio's own loop",
            python("netplay_py.asyncio_server", "--loop", "uvloop"), null, "uvloop",
            "install it: python3 -m pip install uvloop"),
    PY_THREADS("py-threads", "Python, one threading.Thread per connection (the notebook's second program); SLEEP is "
            + "time.sleep, and WORK runs under the GIL", python("netplay_py.threads_server"), null, "python3",
            "install Python 3.8 or later");

    /**
     * redis-server ends a blocked BLPOP when its event loop wakes, at least hz times a second: at its default, 10, a
     * one-second wait ends up to 100 ms late on a quiet server; at 100, up to 10 ms, as late as a JVM's timer may be.
     */
    static final int REDIS_HZ = 100;

    /** The Python servers' folder, beside the modules: found from the server jar (ROOT/server/target/netplay-server.jar). */
    public static Path pythonDir(Path serverJar) {
        Path root = serverJar.toAbsolutePath().normalize().getParent();
        for (int up = 0; up < 2 && root != null; up++) {
            root = root.getParent();
        }
        return root == null ? Path.of("python").toAbsolutePath() : root.resolve("python");
    }
    private static final long PROBE_SECONDS = 10;

    private final String label;
    private final String summary;
    private final List<String> command;
    private final TargetSpec.SlowRequest slow;
    private final String needs;
    private final String install;

    Preset(String label, String summary, List<String> command, TargetSpec.SlowRequest slow, String needs, String install) {
        this.label = label;
        this.summary = summary;
        this.command = command;
        this.slow = slow;
        this.needs = needs;
        this.install = install;
    }

    private static List<String> python(String module, String... args) {
        List<String> words = new java.util.ArrayList<>(List.of("python3", "-m", module, "--port", TargetSpec.PORT));
        words.addAll(Arrays.asList(args));
        return List.copyOf(words);
    }

    public String label() {
        return label;
    }

    public String summary() {
        return summary;
    }

    public static Optional<Preset> named(String name) {
        return Arrays.stream(values()).filter(p -> p.label.equals(name)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Preset::label).toList();
    }

    TargetSpec target() {
        return new TargetSpec(label, command, null, slow, this);
    }

    /** Whether its process runs from the Python folder (found through PYTHONPATH). */
    boolean python() {
        return command.get(0).equals("python3");
    }

    /** Null if this machine can run it (its Python servers in {@code pythonDir}); else what is missing and how to install it. */
    public String missing(Path pythonDir) {
        if (python() && !Files.isDirectory(pythonDir.resolve("netplay_py"))) {
            return "the Python servers are not in " + pythonDir + " (beside the server jar's module)";
        }
        boolean present = switch (needs) {
            case "uvloop" -> runs("python3", "-c", "import uvloop");
            case "python3" -> runs("python3", "-c", "import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)");
            default -> runs(needs, "--version");
        };
        return present ? null : needs + " is not found; " + install;
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
