package dev.netplay.client;

import dev.netplay.client.compare.Comparison;
import dev.netplay.common.cli.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Starts each server model as its own process, sweeps it with the load client, stops it, "
                + "and writes the results, the charts and report.html.")
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "A short run (about 90 s): levels 100,1000,2000, SLEEP 500, 4s per level.")
    boolean quick;

    @Option(names = "--levels", split = ",", paramLabel = "N",
            description = "Connection levels (default: 100,1000,5000,10000; --quick: 100,1000,2000).")
    List<String> levels;

    @Option(names = "--sleep", converter = Units.DurationConverter.class, description = "The SLEEP each request asks for (default: 1s; --quick: 500ms).")
    Duration sleep;

    @Option(names = "--request", description = "Send this instead of SLEEP (e.g. \"WORK 1000\").")
    String request;

    @Option(names = "--warmup", converter = Units.DurationConverter.class, description = "Per level (default: 3s; --quick: 1s).")
    Duration warmup;

    @Option(names = "--duration", converter = Units.DurationConverter.class, description = "Measured per level (default: 10s; --quick: 4s).")
    Duration duration;

    @Option(names = "--models", split = ",", paramLabel = "MODEL",
            description = "Models to compare (default: netty,threads-platform,threads-virtual,threads-pool; also netty-blocking).")
    List<String> models;

    @Option(names = "--pool-size", description = "Threads of the threads-pool model (default: ${DEFAULT-VALUE}).")
    int poolSize = 200;

    @Option(names = "--timeout", converter = Units.DurationConverter.class,
            description = "A request unanswered this long is a timeout (default: 10s).")
    Duration timeout = Duration.ofSeconds(10);

    @Option(names = "--ramp-rate", converter = Units.CountConverter.class, description = "New connections per second (default: 2k).")
    int rampRate = 2_000;

    @Option(names = "--out", paramLabel = "DIR", description = "Results, charts and report.html (default: results/<date-time>/).")
    Path out;

    @Option(names = "--server-jar", paramLabel = "JAR", description = "The server jar (default: server/target/netplay-server.jar).")
    Path serverJar = Path.of("server/target/netplay-server.jar");

    @Option(names = "--server-java-home", paramLabel = "DIR",
            description = "The JDK to run the servers (default: a JDK 21+ if one is found, so that virtual threads can run; else this one).")
    Path serverJavaHome;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Comparison.Settings s = new Comparison.Settings(
                levels != null ? levelsOf(levels) : quick ? List.of(100, 1000, 2000) : List.of(100, 1000, 5000, 10000),
                request != null ? request : "SLEEP " + (sleep != null ? sleep : quick ? Duration.ofMillis(500) : Duration.ofSeconds(1)).toMillis(),
                warmup != null ? warmup : quick ? Duration.ofSeconds(1) : Duration.ofSeconds(3),
                duration != null ? duration : quick ? Duration.ofSeconds(4) : Duration.ofSeconds(10),
                models != null ? models : null, poolSize, timeout, rampRate, out, serverJar, serverJavaHome,
                "scripts/compare " + String.join(" ", userArgs(spec.commandLine().getParseResult().originalArgs())));
        return new Comparison(s, System.out, System.err).run();
    }

    /** The arguments as the user typed them to scripts/compare: without the subcommand and the jar the script adds. */
    private static List<String> userArgs(List<String> original) {
        List<String> args = new ArrayList<>(original);
        if (!args.isEmpty() && args.get(0).equals("compare")) {
            args.remove(0);
        }
        int jar = args.indexOf("--server-jar");
        if (jar >= 0 && jar + 1 < args.size()) {
            args.remove(jar + 1);
            args.remove(jar);
        }
        return args;
    }

    private static List<Integer> levelsOf(List<String> values) {
        List<Integer> result = new ArrayList<>();
        for (String v : values) {
            result.add((int) Math.min(Integer.MAX_VALUE, Units.parseCount(v)));
        }
        return result;
    }
}
