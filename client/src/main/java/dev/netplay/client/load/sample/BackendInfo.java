package dev.netplay.client.load.sample;

import dev.netplay.common.protocol.InfoField;
import dev.netplay.common.metrics.HistogramText;
import dev.netplay.common.protocol.InfoText;
import dev.netplay.common.resp.ReplyReader;
import dev.netplay.common.resp.Resp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

/** One INFO of the backend, read between two models' runs: what the backend spent on each front model. */
public final class BackendInfo {
    private static final int TIMEOUT_MILLIS = 10_000;

    private BackendInfo() {
    }

    /** The backend's INFO fields; empty where it cannot be read. */
    public static Map<String, String> read(InetSocketAddress backend) {
        try (Socket s = new Socket()) {
            s.connect(backend, TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.getOutputStream().write(Resp.command("INFO"));
            s.getOutputStream().flush();
            byte[] bulk = ReplyReader.payloadOfBulk(new ReplyReader(s.getInputStream(), InfoPoller.MAX_INFO_BYTES, java.time.Duration.ofMillis(TIMEOUT_MILLIS)).readRaw());
            // redis-server's CPU under netplay's names, so a Redis backend gets the same figures
            return bulk == null ? Map.of() : RedisInfoNames.added(InfoText.parse(new String(bulk, java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** What the backend did between {@code before} and {@code after}, in words for the report's notes. */
    public static String during(String model, Map<String, String> before, Map<String, String> after) {
        Long cpu0 = InfoField.PROCESS_CPU_NS.number(before);
        Long cpu1 = InfoField.PROCESS_CPU_NS.number(after);
        Long conns0 = InfoField.TOTAL_CONNECTIONS_RECEIVED.number(before);
        Long conns1 = InfoField.TOTAL_CONNECTIONS_RECEIVED.number(after);
        Long cmds0 = InfoField.TOTAL_COMMANDS_PROCESSED.number(before);
        Long cmds1 = InfoField.TOTAL_COMMANDS_PROCESSED.number(after);
        if (cpu0 == null || cpu1 == null || conns0 == null || conns1 == null || cmds0 == null || cmds1 == null) {
            return "backend during " + model + ": its INFO could not be read";
        }
        long calls = cmds1 - cmds0;
        String text = String.format(java.util.Locale.ROOT, "backend during %s: %,d calls, %,d connections opened, %.1f s CPU (%.1f µs a call)",
                model, calls, conns1 - conns0, (cpu1 - cpu0) / 1e9, calls == 0 ? 0.0 : (cpu1 - cpu0) / 1e3 / calls);
        return text + overshoot(before, after);
    }

    /** The backend's figures over one level's window, from two readings {@code seconds} apart; null if either is unreadable. */
    public static dev.netplay.client.results.LevelResult.BackendUse window(Map<String, String> before, Map<String, String> after,
                                                                   double seconds) {
        Long cpu0 = InfoField.PROCESS_CPU_NS.number(before);
        Long cpu1 = InfoField.PROCESS_CPU_NS.number(after);
        Long cmds0 = InfoField.TOTAL_COMMANDS_PROCESSED.number(before);
        Long cmds1 = InfoField.TOTAL_COMMANDS_PROCESSED.number(after);
        if (cpu0 == null || cpu1 == null || cmds0 == null || cmds1 == null || seconds <= 0) {
            return null;
        }
        long calls = cmds1 - cmds0;
        Double lateP99 = null;
        String h0 = InfoField.SLEEP_OVERSHOOT_HIST.in(before);
        String h1 = InfoField.SLEEP_OVERSHOOT_HIST.in(after);
        if (h0 != null && h1 != null) {
            org.HdrHistogram.Histogram w = HistogramText.between(HistogramText.decode(h0), HistogramText.decode(h1));
            if (w != null && w.getTotalCount() > 0) {
                lateP99 = round(w.getValueAtPercentile(99) / 1e3);
            }
        }
        return new dev.netplay.client.results.LevelResult.BackendUse(round(calls / seconds), round((cpu1 - cpu0) / (seconds * 1e9) * 100),
                calls == 0 ? null : round((cpu1 - cpu0) / 1e3 / calls), InfoField.CONNECTED_CLIENTS.number(after), lateP99);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /**
     * How late the backend's own SLEEPs resumed while this model ran: a late backend makes every model's FETCH late,
     * and this says so rather than the front model's figures. Empty where the backend reports no such histogram.
     */
    private static String overshoot(Map<String, String> before, Map<String, String> after) {
        String h0 = InfoField.SLEEP_OVERSHOOT_HIST.in(before);
        String h1 = InfoField.SLEEP_OVERSHOOT_HIST.in(after);
        if (h0 == null || h1 == null) {
            return "";
        }
        try {
            org.HdrHistogram.Histogram window = HistogramText.between(HistogramText.decode(h0), HistogramText.decode(h1));
            if (window.getTotalCount() == 0) {
                return "";
            }
            return String.format(java.util.Locale.ROOT, "; its SLEEPs resumed %.1f ms late at the median, %.1f ms at p99",
                    window.getValueAtPercentile(50) / 1e3, window.getValueAtPercentile(99) / 1e3);
        } catch (RuntimeException e) {
            return "";
        }
    }
}
