package dev.netplay.server.testing;

import dev.netplay.common.cli.ListeningLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A server started as its own JVM process, as a user starts it; stopped by its PID. */
public final class ServerProcess implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 20;

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<InetSocketAddress> address = new CompletableFuture<>();

    private ServerProcess(Process process) {
        this.process = process;
        Thread drain = new Thread(this::drainOutput, "server-output-" + process.pid());
        drain.setDaemon(true);
        drain.start();
    }

    /** Starts {@code ServerMain} with these arguments plus {@code --port 0}, with this JVM and classpath. */
    public static ServerProcess start(List<String> args) throws Exception {
        return start(args, List.of());
    }

    /** As {@link #start(List)}, run through {@code wrapper} (e.g. {@code sh -c "ulimit -n 256; exec \"$@\""}). */
    public static ServerProcess start(List<String> args, List<String> wrapper) throws Exception {
        return start(args, wrapper, List.of());
    }

    /** As {@link #start(List, List)}, with these JVM options too (e.g. {@code -Xmx256m}). */
    public static ServerProcess start(List<String> args, List<String> wrapper, List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+ExitOnOutOfMemoryError"); // as every launcher does: no zombie after an OutOfMemoryError
        command.addAll(jvmOptions);
        command.add("--enable-native-access=ALL-UNNAMED"); // Java 22+ warns about Netty's native transport otherwise
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.netplay.server.ServerMain");
        command.addAll(args);
        command.add("--port");
        command.add("0");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ServerProcess server = new ServerProcess(process);
        try {
            server.address.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException("server did not start: " + server.output, e);
        }
        return server;
    }

    private void drainOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                ListeningLine.parse(line).ifPresent(a -> address.complete(new InetSocketAddress(a.getHostString(), a.getPort())));
            }
        } catch (IOException e) {
            output.add("(output ended: " + e + ")");
        }
        address.completeExceptionally(new IllegalStateException("server exited: " + output));
    }

    public InetSocketAddress address() {
        return address.join();
    }

    public long pid() {
        return process.pid();
    }

    public List<String> output() {
        return output;
    }

    /** Resident memory now (VmRSS), in bytes; -1 once the process is gone. */
    public long rssBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once it exits by itself within {@code seconds}; -1 if it is still running. */
    public int awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** Sends SIGTERM and waits; returns the exit code, or -1 if it had not exited within {@code seconds}. */
    public int terminate(long seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
