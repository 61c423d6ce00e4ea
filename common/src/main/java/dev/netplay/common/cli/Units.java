package dev.netplay.common.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Command-line values with units, as wrk takes them: durations {@code 500ms 10s 2m 1h}, counts {@code 2k 1m}. */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final Pattern COUNT = Pattern.compile("(\\d+)([km]?)");
    private static final Pattern BYTES = Pattern.compile("(\\d+)([kmg]?)b?");

    private Units() {
    }

    /** A duration; a bare number is seconds. */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || m.group(1).length() > 9) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (expected e.g. 500ms, 10s, 2m, 1h)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** A count; {@code k} is a thousand, {@code m} a million. */
    public static long parseCount(String text) {
        Matcher m = COUNT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || m.group(1).length() > 12) {
            throw new IllegalArgumentException("'" + text + "' is not a count (expected e.g. 500, 2k, 1m)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "k" -> n * 1_000;
            case "m" -> n * 1_000_000;
            default -> n;
        };
    }

    /** A size in bytes, as the JVM's -Xmx takes it: {@code k}, {@code m}, {@code g} are powers of 1024. */
    public static long parseBytes(String text) {
        Matcher m = BYTES.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || m.group(1).length() > 12) {
            throw new IllegalArgumentException("'" + text + "' is not a size (expected e.g. 65536, 64k, 512m, 2g)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        return ms / 1000 + "s";
    }

    /** picocli converter for {@link Duration} options. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli converter for sizes in bytes ({@link #parseBytes}). */
    public static final class BytesConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parseBytes(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli converter for count options given as int. */
    public static final class CountConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                long n = parseCount(value);
                if (n > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("'" + value + "' is too large (expected: <= " + Integer.MAX_VALUE + ")");
                }
                return (int) n;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
