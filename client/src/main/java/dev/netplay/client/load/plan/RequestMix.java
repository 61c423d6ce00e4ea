package dev.netplay.client.load.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * {@code --mix "PING=90,SLEEP 1000=10"}: requests and their weights. Each request a connection sends is drawn from
 * the mix, so slow and fast requests share the connections as they do in a real service, and the figures are
 * kept per request as well as in all.
 */
public final class RequestMix {
    /** Largest weight; weights are relative, so more adds nothing. */
    static final int MAX_WEIGHT = 1_000_000;

    /** One request of the mix, and its weight. */
    public record Entry(RequestSpec spec, int weight) {
    }

    private final String text;
    private final List<Entry> entries;
    private final int totalWeight;

    private RequestMix(String text, List<Entry> entries) {
        this.text = text;
        this.entries = List.copyOf(entries);
        this.totalWeight = entries.stream().mapToInt(Entry::weight).sum();
    }

    /** Parses {@code REQUEST=WEIGHT[,REQUEST=WEIGHT...]}; a bad part fails naming it and what is allowed. */
    public static RequestMix parse(String text) {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : text.split(",", -1)) {
            int eq = part.lastIndexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--mix '" + part.trim() + "' has no weight (expected REQUEST=WEIGHT, e.g. \"PING=90,SLEEP 1000=10\")");
            }
            String request = part.substring(0, eq).trim();
            String weightText = part.substring(eq + 1).trim();
            int weight;
            try {
                weight = Integer.parseInt(weightText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix weight '" + weightText + "' of '" + request + "' is not a whole number (expected: 1.." + MAX_WEIGHT + ")");
            }
            if (weight < 1 || weight > MAX_WEIGHT) {
                throw new IllegalArgumentException("--mix weight " + weight + " of '" + request + "' is out of range (expected: 1.." + MAX_WEIGHT + ")");
            }
            RequestSpec spec;
            try {
                spec = RequestSpec.parse(request);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replaceFirst("^--request", "--mix"), e);
            }
            if (!seen.add(spec.text().toUpperCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("--mix names '" + spec.text() + "' twice");
            }
            entries.add(new Entry(spec, weight));
        }
        return new RequestMix(text.trim(), entries);
    }

    public String text() {
        return text;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** A request drawn by weight. */
    public RequestSpec pick(Random random) {
        int r = random.nextInt(totalWeight);
        for (Entry e : entries) {
            r -= e.weight();
            if (r < 0) {
                return e.spec();
            }
        }
        throw new IllegalStateException("weights sum to " + totalWeight);
    }

    /** The mean time a request of the mix sleeps, in ms (requests that do not sleep count as 0). */
    double meanSleepMillis() {
        double sum = 0;
        for (Entry e : entries) {
            sum += Math.max(0, e.spec().sleepMillis()) * (double) e.weight();
        }
        return sum / totalWeight;
    }
}
