package dev.netplay.client.load;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of a load run, validated before any load starts.
 *
 * @param rate           requests per second in total for the open model; 0 for the closed model
 * @param uniquePayloads ECHO only: every request carries its own payload, checked in its reply
 */
public record LoadPlan(List<Target> targets, List<Integer> levels, RequestSpec request, int pipeline, Duration warmup,
                       Duration duration, int rampRate, Duration connectTimeout, Duration timeout, int rate,
                       List<InetAddress> sourceAddresses, int ioThreads, Path out, String commandLine,
                       boolean uniquePayloads) {

    public boolean openModel() {
        return rate > 0;
    }

    /** Little's law for the closed model: C connections each waiting D per request serve at most C / D per second. */
    public Double idealThroughput(int connections) {
        if (openModel()) {
            return (double) rate;
        }
        if (request.sleepMillis() <= 0) {
            return null;
        }
        return connections * 1000.0 / request.sleepMillis();
    }
}
