package dev.netplay.client.merge;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Several hosts' interval logs of one level added exactly, with HdrHistogram's own {@code add}: the measured window's
 * intervals (untagged) of every host on one time grid, the earliest host's first interval its zero and each interval
 * placed at the grid step nearest its start; the ramp's and warmup's (tagged) likewise, by tag. Percentiles are read
 * from the sums, never averaged.
 */
final class IntervalLogs {
    /** The hosts' interval length, as the load client writes them. */
    static final long INTERVAL_MILLIS = 1_000;
    /** Histograms of latencies in ns, with the load client's precision. */
    static final int SIGNIFICANT_DIGITS = 3;

    private IntervalLogs() {
    }

    /** One host's log: its intervals in order, each with its absolute start (ms) and tag (null: the measured window). */
    record Log(List<Histogram> intervals) {
        /** The measured window's intervals added: the host's whole-window histogram. */
        Histogram window() {
            Histogram total = new Histogram(SIGNIFICANT_DIGITS);
            intervals.stream().filter(h -> h.getTag() == null).forEach(total::add);
            return total;
        }

        /** When the measured window's first interval began, ms since the epoch; null if it has none. */
        Long windowStartMillis() {
            return intervals.stream().filter(h -> h.getTag() == null).map(Histogram::getStartTimeStamp).findFirst().orElse(null);
        }

        /** When its last interval ended, ms since the epoch; null if it has none. */
        Long windowEndMillis() {
            Long end = null;
            for (Histogram h : intervals) {
                if (h.getTag() == null) {
                    end = h.getEndTimeStamp();
                }
            }
            return end;
        }
    }

    /**
     * The largest interval log a merge reads: a host's run of many levels writes some KiB per level. A log is not
     * trusted: an interval may declare ranges that would take gigabytes to decode, so each is checked first.
     */
    static final long MAX_LOG_BYTES = 64L * 1024 * 1024; // 64 MiB
    /** The highest latency an interval may declare, in ns: far past any timeout the client allows. */
    static final long MAX_TRACKABLE_NANOS = java.util.concurrent.TimeUnit.HOURS.toNanos(24);

    static Log read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_LOG_BYTES) {
            throw new IOException(file + " is " + size + " bytes: an interval log of a run is at most " + MAX_LOG_BYTES);
        }
        try (java.io.BufferedReader lines = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.US_ASCII)) {
            String line;
            while ((line = lines.readLine()) != null) {
                checkDeclaredRange(file, line);
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + " is not an HdrHistogram interval log: it is not ASCII text");
        }
        List<Histogram> intervals = new ArrayList<>();
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            EncodableHistogram e;
            while ((e = reader.nextIntervalHistogram()) != null) {
                if (!(e instanceof Histogram h)) {
                    throw new IOException(file + ": an interval that is not an integer histogram");
                }
                intervals.add(h);
            }
        } catch (RuntimeException e) {
            throw new IOException(file + " is not an HdrHistogram interval log: " + e.getMessage(), e);
        }
        return new Log(intervals);
    }

    /**
     * An interval's header, read before HdrHistogram decodes it (which allocates what the header declares): its
     * highest trackable value and significant digits within what the load client writes.
     */
    private static void checkDeclaredRange(Path file, String line) throws IOException {
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("\"")) {
            return;
        }
        int comma = line.lastIndexOf(',');
        if (comma < 0) {
            return; // HdrHistogram's reader says what is wrong with it
        }
        byte[] compressed;
        try {
            compressed = java.util.Base64.getDecoder().decode(line.substring(comma + 1).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not an HdrHistogram interval log: an interval that is not Base64");
        }
        // The compressed form: cookie, length, then zlib data whose start is the plain header.
        if (compressed.length < 8) {
            throw new IOException(file + " is not an HdrHistogram interval log: an interval too short");
        }
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        try {
            inflater.setInput(compressed, 8, compressed.length - 8);
            byte[] header = new byte[40];
            int n = inflater.inflate(header);
            if (n < 40) {
                throw new IOException(file + " is not an HdrHistogram interval log: an interval header too short");
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(header);
            b.getInt(); // cookie
            b.getInt(); // payload length
            b.getInt(); // normalizing index offset
            int digits = b.getInt();
            long lowest = b.getLong();
            long highest = b.getLong();
            if (digits < 0 || digits > 5 || lowest < 1 || highest > MAX_TRACKABLE_NANOS || highest < 2 * lowest) {
                throw new IOException(file + ": an interval declares values up to " + highest + " ns with " + digits
                        + " digits (expected: up to " + MAX_TRACKABLE_NANOS + " ns, 0..5 digits)");
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new IOException(file + " is not an HdrHistogram interval log: an interval that does not inflate");
        } finally {
            inflater.end();
        }
    }

    /** The hosts' logs on one grid: for each tag (null first, then ramp, warmup) and grid step, the sum. */
    static List<Histogram> merge(List<Log> logs) {
        long zero = logs.stream().map(Log::windowStartMillis).filter(java.util.Objects::nonNull).mapToLong(Long::longValue)
                .min().orElse(logs.stream().flatMap(l -> l.intervals().stream()).mapToLong(Histogram::getStartTimeStamp)
                        .min().orElse(0));
        // (tag, step) -> sum; ordered by the step, so the merged log runs forward in time
        Map<Long, Map<String, Histogram>> byStep = new TreeMap<>();
        for (Log log : logs) {
            for (Histogram h : log.intervals()) {
                long step = Math.round((h.getStartTimeStamp() - zero) / (double) INTERVAL_MILLIS);
                String tag = h.getTag() == null ? "" : h.getTag();
                Histogram sum = byStep.computeIfAbsent(step, s -> new TreeMap<>()).computeIfAbsent(tag, t -> {
                    Histogram fresh = new Histogram(SIGNIFICANT_DIGITS);
                    fresh.setTag(t.isEmpty() ? null : t);
                    fresh.setStartTimeStamp(zero + step * INTERVAL_MILLIS);
                    fresh.setEndTimeStamp(zero + step * INTERVAL_MILLIS);
                    return fresh;
                });
                sum.add(h);
                sum.setStartTimeStamp(Math.min(sum.getStartTimeStamp(), h.getStartTimeStamp()));
                sum.setEndTimeStamp(Math.max(sum.getEndTimeStamp(), h.getEndTimeStamp()));
            }
        }
        List<Histogram> merged = new ArrayList<>();
        byStep.values().forEach(tags -> merged.addAll(tags.values()));
        return merged;
    }

    /** Writes {@code intervals} as an interval log, as the load client writes its own. */
    static void write(Path file, List<Histogram> intervals, String comment) throws IOException {
        long base = intervals.stream().mapToLong(Histogram::getStartTimeStamp).min().orElse(0);
        try (OutputStream out = Files.newOutputStream(file)) {
            HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputComment(comment);
            writer.outputLogFormatVersion();
            writer.setBaseTime(base);
            writer.outputBaseTime(base);
            writer.outputStartTime(base);
            writer.outputLegend();
            for (Histogram h : intervals) {
                writer.outputIntervalHistogram(h);
            }
            writer.close();
        }
    }
}
