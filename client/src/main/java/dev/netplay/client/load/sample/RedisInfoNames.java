package dev.netplay.client.load.sample;

import dev.netplay.common.protocol.InfoField;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * redis-server's INFO under netplay's names, so that a redis-server target gets the same CPU and memory columns as a
 * netplay server: Redis reports its CPU time as {@code used_cpu_user} and {@code used_cpu_sys} (seconds, all its
 * threads) and its RSS as {@code used_memory_rss}; netplay as {@code process_cpu_user_ns}, {@code process_cpu_sys_ns},
 * {@code process_cpu_ns} and {@code rss_bytes}. A field netplay's server reports itself is never replaced.
 */
final class RedisInfoNames {
    private static final double NANOS_PER_SECOND = 1e9;

    private RedisInfoNames() {
    }

    static Map<String, String> added(Map<String, String> info) {
        if (info.containsKey(InfoField.PROCESS_CPU_NS.key()) || !info.containsKey("used_cpu_sys")) {
            return info; // a netplay server, or no CPU figures at all
        }
        Long user = nanos(info.get("used_cpu_user"));
        Long sys = nanos(info.get("used_cpu_sys"));
        Map<String, String> named = new LinkedHashMap<>(info);
        if (user != null && sys != null) {
            named.put(InfoField.PROCESS_CPU_USER_NS.key(), Long.toString(user));
            named.put(InfoField.PROCESS_CPU_SYS_NS.key(), Long.toString(sys));
            named.put(InfoField.PROCESS_CPU_NS.key(), Long.toString(user + sys));
        }
        String rss = info.get("used_memory_rss");
        if (rss != null && !info.containsKey(InfoField.RSS_BYTES.key()) && rss.matches("[0-9]{1,18}")) {
            named.put(InfoField.RSS_BYTES.key(), rss);
        }
        return named;
    }

    /** Seconds as Redis prints them ({@code 5.591536}) in nanoseconds; null if not a number. */
    private static Long nanos(String seconds) {
        if (seconds == null) {
            return null;
        }
        try {
            double value = Double.parseDouble(seconds);
            return Double.isFinite(value) && value >= 0 ? Long.valueOf(Math.round(value * NANOS_PER_SECOND)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
