package dev.netplay.client.load;

import dev.netplay.client.load.connect.RawLatencies;
import dev.netplay.client.load.plan.LoadPlan;
import dev.netplay.client.load.plan.Password;
import dev.netplay.client.load.plan.RequestMix;
import dev.netplay.client.load.plan.RequestSpec;
import dev.netplay.client.load.plan.StartSchedule;
import dev.netplay.client.load.plan.Target;
import dev.netplay.common.cli.Units;
import dev.netplay.common.metrics.ProcessMetrics;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The options {@code run} and {@code sweep} share, checked all at once before any load starts. */
public final class LoadOptions {
    static final int MAX_PIPELINE = 1_000;
    static final int MAX_IO_THREADS = 256;
    private static final Path PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    @Option(names = "--target", required = true, paramLabel = "NAME=HOST:PORT",
            description = "A server to measure; repeat for several (measured one after another).")
    public List<String> targets = new ArrayList<>();

    @Option(names = "--expect", paramLabel = "LINE",
            description = "With --request: the reply every request must get, as its RESP line (e.g. *-1 for a BLPOP that "
                    + "times out, +OK); needed where the request is not one of netplay's own (default: netplay's own "
                    + "answer, or any reply that is not an error).")
    public String expect;

    @Option(names = "--request-takes", converter = dev.netplay.common.cli.Units.DurationConverter.class, paramLabel = "DURATION",
            description = "With --request: how long the server takes to answer each (D of Little's law, e.g. 1s for "
                    + "\"BLPOP nothing 1\"); SLEEP, FETCH and GATHER say it themselves (default: unknown, no ideal).")
    public java.time.Duration requestTakes;

    /** The request sent when neither --request nor --mix is given. */
    static final String DEFAULT_REQUEST = "SLEEP 1000";

    @Option(names = "--request", description = "The request each connection sends (default: \"SLEEP 1000\").")
    public String request;

    @Option(names = "--mix", paramLabel = "REQUEST=WEIGHT,...",
            description = "Requests drawn by weight instead of one, e.g. \"PING=90,SLEEP 1000=10\"; figures per request too.")
    public String mix;

    @Option(names = "--no-probe", description = "Run no probe connection (by default one PINGs every 100 ms, its latency "
            + "recorded apart from the load: what a fresh, light client meets).")
    public boolean noProbe;

    @Option(names = "--password", paramLabel = "env:NAME|file:PATH",
            description = "Where to read the password the servers ask for (--requirepass): an environment variable or "
                    + "a file's first line; every connection sends AUTH first. Never the password itself: a command line "
                    + "shows in ps and in results.json (default: none).")
    public String password;

    @Option(names = "--start-at", paramLabel = "TIME",
            description = "Begin the first level at this instant (ISO-8601, e.g. 2026-12-02T18:00:00Z, or epoch ms), "
                    + "and every later level on a schedule fixed in time, so that hosts given the same options measure the "
                    + "same windows; a host that falls behind says so and its level is marked (default: now, each level "
                    + "when the last is done).")
    public String startAt;

    @Option(names = "--host-id", paramLabel = "NAME",
            description = "This host's name in its results and in a merge (default: the machine's host name).")
    public String hostId;

    @Option(names = "--raw-latencies", paramLabel = "FILE",
            description = "Also write every latency of the measured windows here, in ns, one per line (at most "
                    + RawLatencies.MAX_VALUES + " per window): to check percentiles against the samples (default: none).")
    public Path rawLatencies;

    @Option(names = "--pipeline", description = "Requests sent at once per connection, closed model (default: ${DEFAULT-VALUE}).")
    public int pipeline = 1;

    @Option(names = "--warmup", converter = Units.DurationConverter.class, description = "Per level, before measuring (default: 5s).")
    public Duration warmup = Duration.ofSeconds(5);

    @Option(names = "--duration", converter = Units.DurationConverter.class, description = "Measured time per level (default: 15s).")
    public Duration duration = Duration.ofSeconds(15);

    @Option(names = "--ramp-rate", converter = Units.CountConverter.class, description = "New connections per second (default: 2k).")
    public int rampRate = 2_000;

    @Option(names = "--connect-timeout", converter = Units.DurationConverter.class, description = "Per connect (default: 5s).")
    public Duration connectTimeout = Duration.ofSeconds(5);

    @Option(names = "--timeout", converter = Units.DurationConverter.class,
            description = "Per request; a request unanswered for longer counts as a timeout and its connection is replaced (default: 30s).")
    public Duration timeout = Duration.ofSeconds(30);

    @Option(names = "--rate", converter = Units.CountConverter.class,
            description = "Open model: this many requests per second in total, latency measured from each planned send time "
                    + "(coordinated-omission corrected). Default: closed model.")
    public int rate = 0;

    @Option(names = "--source-addresses", split = ",", paramLabel = "ADDR",
            description = "Local addresses to bind, round-robin (e.g. 127.0.0.1,127.0.0.2), for more connections than one address has ports.")
    public List<String> sourceAddresses = new ArrayList<>();

    @Option(names = "--unique-payloads",
            description = "With --request \"ECHO x\": each request echoes x-<connection>-<sequence>, so a lost, duplicated or reordered reply shows.")
    public boolean uniquePayloads;

    @Option(names = "--io-threads", description = "Client event loop threads (default: cores, here ${DEFAULT-VALUE}).")
    public int ioThreads = ProcessMetrics.availableProcessors();

    @Option(names = "--out", paramLabel = "DIR", description = "Write results.json, results.csv and .hlog files here.")
    public Path out;

    /** Every setting checked; the first bad one fails with its value and what is allowed. */
    public LoadPlan toPlan(List<Integer> levels, String commandLine) throws IOException {
        return toPlan(levels, commandLine, null);
    }

    /** As {@link #toPlan(List, String)}; {@code givenTargets}, if not null, replaces {@code --target}. */
    public LoadPlan toPlan(List<Integer> levels, String commandLine, List<Target> givenTargets) throws IOException {
        List<Target> parsedTargets = new ArrayList<>();
        if (givenTargets != null) {
            parsedTargets.addAll(givenTargets);
        }
        for (String t : givenTargets != null ? List.<String>of() : targets) {
            Target target = Target.parse(t);
            if (parsedTargets.stream().anyMatch(p -> p.name().equals(target.name()))) {
                throw new IllegalArgumentException("--target name '" + target.name() + "' is used twice");
            }
            parsedTargets.add(target);
        }
        checkLevels(levels);
        if (mix != null && request != null) {
            throw new IllegalArgumentException("--mix and --request cannot go together: --mix names every request");
        }
        RequestMix requestMix = mix == null ? null : RequestMix.parse(mix);
        if ((expect != null || requestTakes != null) && (request == null || mix != null)) {
            throw new IllegalArgumentException("--expect and --request-takes go with --request: they describe its reply and its wait");
        }
        RequestSpec spec = requestMix != null ? requestMix.entries().get(0).spec()
                : RequestSpec.parse(request == null ? DEFAULT_REQUEST : request, expect,
                requestTakes == null ? RequestSpec.UNKNOWN_WAIT : requestTakes.toMillis());
        range("--pipeline", pipeline, 1, MAX_PIPELINE);
        range("--ramp-rate", rampRate, 1, Integer.MAX_VALUE);
        range("--io-threads", ioThreads, 1, MAX_IO_THREADS);
        positive("--duration", duration);
        positive("--connect-timeout", connectTimeout);
        positive("--timeout", timeout);
        if (rate < 0) {
            throw new IllegalArgumentException("--rate " + rate + " is out of range (expected: >= 1)");
        }
        if (rate > 0 && pipeline != 1) {
            throw new IllegalArgumentException("--rate (open model) sends one request at a time per connection: --pipeline must be 1 (got " + pipeline + ")");
        }
        if (uniquePayloads && requestMix != null) {
            throw new IllegalArgumentException("--unique-payloads needs one --request \"ECHO <payload>\", not --mix");
        }
        if (uniquePayloads && !spec.canBeUnique()) {
            throw new IllegalArgumentException("--unique-payloads needs --request \"ECHO <payload>\" (got '" + request + "')");
        }
        List<InetAddress> sources = new ArrayList<>();
        for (String s : sourceAddresses) {
            if (!s.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                throw new IllegalArgumentException("--source-addresses '" + s + "' is not an IP address");
            }
            sources.add(InetAddress.getByName(s));
        }
        checkPorts(levels, Math.max(1, sources.size()));
        if (out != null) {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
            }
            Files.createDirectories(out);
        }
        return new LoadPlan(parsedTargets, List.copyOf(levels), spec, pipeline, warmup, duration, rampRate,
                connectTimeout, timeout, rate, sources, ioThreads, out, commandLine, uniquePayloads, requestMix, !noProbe,
                password == null ? null : Password.parse(password, System::getenv), startInstant(), hostId(), rawLatencies);
    }

    /** Letters, digits, '.', '_' and '-': a host id names files and table columns. */
    static final java.util.regex.Pattern HOST_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private String hostId() {
        if (hostId == null) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                return "localhost";
            }
        }
        if (!HOST_ID.matcher(hostId).matches()) {
            throw new IllegalArgumentException("--host-id '" + hostId + "' is not 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return hostId;
    }

    /** {@code --start-at}'s instant, checked to lie ahead, within {@link StartSchedule#MAX_AHEAD}; null if not given. */
    private java.time.Instant startInstant() {
        if (startAt == null) {
            return null;
        }
        java.time.Instant at = parseInstant(startAt);
        java.time.Instant now = java.time.Instant.now();
        if (!at.isAfter(now)) {
            throw new IllegalArgumentException("--start-at " + startAt + " is in the past (now is " + now
                    + "): give an instant ahead, e.g. $(date -u -d '+30 sec' +%Y-%m-%dT%H:%M:%SZ)");
        }
        if (at.isAfter(now.plus(StartSchedule.MAX_AHEAD))) {
            throw new IllegalArgumentException("--start-at " + startAt + " is out of range (expected: within "
                    + StartSchedule.MAX_AHEAD.toHours() + "h of now, " + now + ")");
        }
        return at;
    }

    /** ISO-8601 with an offset or Z ({@code 2026-12-02T18:00:00Z}), or epoch milliseconds. */
    static java.time.Instant parseInstant(String text) {
        String t = text.trim();
        try {
            if (t.matches("\\d{1,15}")) {
                return java.time.Instant.ofEpochMilli(Long.parseLong(t));
            }
            return java.time.OffsetDateTime.parse(t).toInstant();
        } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("--start-at '" + text + "' is not an instant (expected ISO-8601 with a "
                    + "zone, e.g. 2026-12-02T18:00:00Z, or epoch milliseconds)");
        }
    }

    static void checkLevels(List<Integer> levels) {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("--connections needs at least one level");
        }
        long limit = ProcessMetrics.openFileLimit();
        int capacity = ProcessMetrics.connectionCapacity();
        int previous = 0;
        for (int level : levels) {
            if (level < 1) {
                throw new IllegalArgumentException("--connections " + level + " is out of range (expected: >= 1)");
            }
            if (level > capacity) {
                throw new IllegalArgumentException("--connections " + level + " exceeds this process's open-file limit ("
                        + limit + ", ulimit -n)");
            }
            if (level <= previous) {
                throw new IllegalArgumentException("--connections levels must increase, since each level adds connections to the last (got "
                        + level + " after " + previous + ")");
            }
            previous = level;
        }
    }

    private static void checkPorts(List<Integer> levels, int sources) throws IOException {
        if (!Files.isReadable(PORT_RANGE)) {
            return;
        }
        // readAllLines, not readString: procfs files report size 0
        String[] range = Files.readAllLines(PORT_RANGE).get(0).trim().split("\\s+");
        int ports = Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        int top = levels.get(levels.size() - 1);
        if (top > (long) ports * sources) {
            throw new IllegalArgumentException("--connections " + top + " needs more local ports than " + sources
                    + " source address(es) have (" + ports + " ephemeral ports each, " + range[0] + "-" + range[1]
                    + "); add --source-addresses");
        }
    }

    private static void range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            String allowed = max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
            throw new IllegalArgumentException(name + " " + value + " is out of range (expected: " + allowed + ")");
        }
    }

    private static void positive(String name, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " " + Units.formatDuration(d) + " must be longer than 0");
        }
    }
}
