package dev.netplay.client.load;

import dev.netplay.common.protocol.InfoField;
import java.util.Map;


/**
 * What the server cost over one measured window, from INFO readings: the full readings at its edges, the peaks of
 * threads and RSS over every reading in between, and CPU and commands as differences. Arithmetic only; the
 * readings come from {@link InfoPoller}.
 */
final class ServerWindow {
    /**
     * The server's figures over one window; null fields where the server does not report them. {@code start} and
     * {@code end} are the full INFO (every section) at the window's edges; empty if unanswered.
     */
    record Figures(Long threadsPeak, Long rssPeakBytes, Long connectedClients, Long cpuNanos, Long commands, boolean answered,
                   Map<String, String> start, Map<String, String> end) {
    }

    private boolean open;
    private Map<String, String> start = Map.of();
    private Long threadsPeak;
    private Long rssPeak;

    /** Opens the window at this reading. */
    synchronized void begin(Map<String, String> reading) {
        start = reading;
        threadsPeak = InfoField.THREADS_LIVE.number(reading);
        rssPeak = InfoField.RSS_BYTES.number(reading);
        open = true;
    }

    /** Any reading: while the window is open, it counts towards the peaks. */
    synchronized void observe(Map<String, String> reading) {
        if (open) {
            threadsPeak = max(threadsPeak, InfoField.THREADS_LIVE.number(reading));
            rssPeak = max(rssPeak, InfoField.RSS_BYTES.number(reading));
        }
    }

    /** Closes the window at this reading (already observed) and returns its figures. */
    synchronized Figures end(Map<String, String> reading) {
        open = false;
        return new Figures(threadsPeak, rssPeak, InfoField.CONNECTED_CLIENTS.number(reading),
                difference(InfoField.PROCESS_CPU_NS.number(start), InfoField.PROCESS_CPU_NS.number(reading)),
                difference(InfoField.TOTAL_COMMANDS_PROCESSED.number(start), InfoField.TOTAL_COMMANDS_PROCESSED.number(reading)),
                !reading.isEmpty(), start, reading);
    }

    private static Long difference(Long start, Long end) {
        return start == null || end == null ? null : Long.valueOf(end - start);
    }

    private static Long max(Long a, Long b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Long.valueOf(Math.max(a, b)); // no ternary: it would unbox a null
    }
}
