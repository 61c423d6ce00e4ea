package dev.netplay.client.load.plan;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of a load run, validated before any load starts.
 *
 * @param rate           requests per second in total for the open model; 0 for the closed model
 * @param uniquePayloads ECHO only: every request carries its own payload, checked in its reply
 * @param mix            requests drawn by weight ({@code --mix}); null for one request ({@code request})
 * @param probe          one extra connection PINGs every 100 ms, its latency recorded apart from the load ({@link Probe})
 * @param password       what every connection gives first ({@code AUTH}); null: none
 * @param startAt        with {@code --start-at}: the instant the first level begins, every later one on a schedule
 *                       fixed in time ({@link StartSchedule}); null: each level when the last is done
 * @param hostId         this host's name in a merge ({@code --host-id}; default: the machine's host name)
 * @param rawLatencies   with {@code --raw-latencies}: the file every window's latencies are written to; null: none
 */
public record LoadPlan(List<Target> targets, List<Integer> levels, RequestSpec request, int pipeline, Duration warmup,
                       Duration duration, int rampRate, Duration connectTimeout, Duration timeout, int rate,
                       List<InetAddress> sourceAddresses, int ioThreads, Path out, String commandLine,
                       boolean uniquePayloads, RequestMix mix, boolean probe, Password password,
                       java.time.Instant startAt, String hostId, Path rawLatencies) {

    /** The schedule fixed in time, or null without {@code --start-at}. */
    public StartSchedule schedule() {
        return startAt == null ? null : new StartSchedule(startAt, this);
    }

    /** What each connection sends, in words: the request, or the mix. */
    public String requestText() {
        return mix != null ? mix.text() : request.text();
    }

    public boolean openModel() {
        return rate > 0;
    }

    /**
     * Closed model: how long after opening a connection may wait to send first, in ns, a random part of it each: the
     * mean SLEEP of a request (0 when none sleeps). Connections opened in one ramp step would otherwise complete in
     * lock-step, and a window edge cutting such a burst skews throughput by up to D / duration.
     */
    public long startSpreadNanos() {
        double sleepMillis = mix != null ? mix.meanSleepMillis() : request.sleepMillis();
        return sleepMillis <= 0 ? 0 : Math.round(sleepMillis * 1_000_000);
    }

    /** Little's law for the closed model: C connections each waiting D per request serve at most C / D per second. */
    public Double idealThroughput(int connections) {
        if (openModel()) {
            return (double) rate;
        }
        double sleepMillis = mix != null ? mix.meanSleepMillis() : request.sleepMillis();
        if (sleepMillis <= 0) {
            return null;
        }
        return connections * 1000.0 / sleepMillis;
    }
}
