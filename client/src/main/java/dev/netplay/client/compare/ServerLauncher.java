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
