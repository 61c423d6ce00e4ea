package dev.netplay.client.compare;

import dev.netplay.common.cli.ListeningLine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A server model started as its own process on a free loopback port, its output in a log file; stopped by PID. */
final class ServerLauncher implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 30_000;
    private static final long POLL_MILLIS = 50;
    /** The server's own grace period is 5 s; past this, it is killed. */
    private static final long STOP_TIMEOUT_SECONDS = 15;

    private final Process process;
    private final Path log;
    private final int port;
    private final List<String> command;

    private ServerLauncher(Process process, Path log, int port, List<String> command) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.command = command;
    }

    /**
     * @param prefix     what runs before java (e.g. {@code taskset -c 1}); may be empty
     * @param jvmOptions the same for every model
     */
    static ServerLauncher start(List<String> prefix, Path java, List<String> jvmOptions, Path serverJar, List<String> modelArgs,
                                Map<String, String> environment, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", serverJar.toString()));
        command.addAll(modelArgs);
        command.addAll(List.of("--bind", "127.0.0.1", "--port", "0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline) {
            Optional<InetSocketAddress> listening = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .map(ListeningLine::parse).flatMap(Optional::stream).findFirst();
            if (listening.isPresent()) {
                return new ServerLauncher(process, log, listening.get().getPort(), List.copyOf(command));
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(POLL_MILLIS);
        }
        process.destroyForcibly();
        throw new IOException("server " + String.join(" ", modelArgs) + " did not start; its log " + log + " says: "
                + Files.readString(log, StandardCharsets.UTF_8).strip());
    }

    /** How long a target's command may take to answer PING. */
    private static final long PING_TIMEOUT_MILLIS = 1_000;
    /** Lines of a failed start's log quoted in its error. */
    private static final int LOG_LINES_SHOWN = 10;

    /**
     * A target's command ({@code --target NAME=COMMAND} or a preset), {@value TargetSpec#PORT} replaced by a free
     * loopback port, run after {@code prefix} (taskset); it is up once it answers {@code PING} with {@code +PONG}.
     *
     * @throws IOException one line: the command cannot run, exits at once (its log's last lines), never answers (the
     *                     wait named), or answers another protocol (its first reply quoted)
     */
    static ServerLauncher startCommand(TargetSpec target, List<String> prefix, Map<String, String> environment, Path log)
            throws IOException, InterruptedException {
        return startCommand(target, prefix, environment, log, START_TIMEOUT_MILLIS);
    }

    /** As {@link #startCommand(TargetSpec, List, Map, Path)}, waiting at most {@code waitMillis} for +PONG. */
    static ServerLauncher startCommand(TargetSpec target, List<String> prefix, Map<String, String> environment, Path log,
                                       long waitMillis) throws IOException, InterruptedException {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(prefix);
        command.addAll(target.commandFor(port));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("target " + target.name() + ": its command '" + String.join(" ", target.command())
                    + "' cannot run (" + e.getMessage() + ")");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("target " + target.name() + " exited at once with code " + process.exitValue()
                        + "; the last lines of " + log + ": " + lastLines(log));
            }
            String reply = ping(address);
            if (reply != null && reply.startsWith("+PONG")) {
                return new ServerLauncher(process, log, port, List.copyOf(command));
            }
            if (reply != null && !reply.isEmpty()) {
                process.destroyForcibly();
                throw new IOException("target " + target.name() + " answered PING with '" + reply.strip()
                        + "', not +PONG: it does not speak this protocol");
            }
            Thread.sleep(POLL_MILLIS);
        }
        process.destroyForcibly();
        throw new IOException("target " + target.name() + " did not answer PING on " + address.getHostString() + ":" + port
                + " within " + waitMillis / 1000.0 + " s (compare waits for +PONG); the last lines of " + log + ": "
                + lastLines(log));
    }

    /** PING's reply line, at most 64 characters of it; null if nothing listens yet or nothing came back in time. */
    private static String ping(InetSocketAddress address) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(address, (int) PING_TIMEOUT_MILLIS);
            s.setSoTimeout((int) PING_TIMEOUT_MILLIS);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[64];
            int n = s.getInputStream().read(buf);
            return n <= 0 ? null : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
    }

    /** A log's last lines, joined with " | ": what a start that failed said. */
    static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "(nothing)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - LOG_LINES_SHOWN), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The exact command line the server runs with. */
    List<String> command() {
        return command;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, then wait; killed if it does not exit. Returns the exit code (-1 if it had to be killed). */
    int stop() throws InterruptedException {
        process.destroy();
        if (process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return -1;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
