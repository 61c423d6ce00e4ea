package dev.netplay.client.load.sample;

import dev.netplay.common.protocol.InfoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;


/**
 * What the server cost over one measured window, from INFO readings: the full readings at its edges, the peaks of
 * threads and RSS over every reading in between, and the commands as a difference (the CPU is the diagnosis's, from the same edges). Arithmetic only; the
 * readings come from {@link InfoPoller}.
 */
public final class ServerWindow {
    /**
     * The server's figures over one window; null fields where the server does not report them. {@code start} and
     * {@code end} are the full INFO (every section) at the window's edges; empty if unanswered.
     */
    public record Figures(Long threadsPeak, Long rssPeakBytes, Long connectedClients, Long commands, boolean answered,
                   Map<String, String> start, Map<String, String> end) {
    }

    /** The columns of a level's server timeline file, after the client's clock (epoch ms); -1 where not reported. */
    public static final List<InfoField> TIMELINE = List.of(InfoField.UPTIME_MS, InfoField.PROCESS_CPU_NS, InfoField.GC_PAUSE_TOTAL_MS,
            InfoField.THREADS_LIVE, InfoField.RSS_BYTES);

    private boolean open;
    private boolean timing;
    private final List<long[]> timeline = new ArrayList<>();
    private Map<String, String> start = Map.of();
    private Long threadsPeak;
    private Long rssPeak;

    /** Opens the window at this reading. */
    public synchronized void begin(Map<String, String> reading) {
        start = reading;
        threadsPeak = InfoField.THREADS_LIVE.number(reading);
        rssPeak = InfoField.RSS_BYTES.number(reading);
        open = true;
    }

    /** Keeps every reading from now (the level's ramp) with the client's clock, until {@link #takeTimeline}. */
    public synchronized void startTimeline() {
        timeline.clear();
        timing = true;
    }

    /** The readings since {@link #startTimeline}: epoch ms, then {@link #TIMELINE}'s fields; stops keeping them. */
    public synchronized List<long[]> takeTimeline() {
        timing = false;
        List<long[]> out = List.copyOf(timeline);
        timeline.clear();
        return out;
    }

    /** Any reading: while the window is open, it counts towards the peaks; while a level runs, it joins its timeline. */
    public synchronized void observe(Map<String, String> reading) {
        if (timing && !reading.isEmpty()) {
            long[] row = new long[TIMELINE.size() + 1];
            row[0] = System.currentTimeMillis();
            for (int i = 0; i < TIMELINE.size(); i++) {
                Long v = TIMELINE.get(i).number(reading);
                row[i + 1] = v == null ? -1 : v;
            }
            timeline.add(row);
        }
        if (open) {
            threadsPeak = max(threadsPeak, InfoField.THREADS_LIVE.number(reading));
            rssPeak = max(rssPeak, InfoField.RSS_BYTES.number(reading));
        }
    }

    /** Closes the window at this reading (already observed) and returns its figures. */
    public synchronized Figures end(Map<String, String> reading) {
        return end(reading, !reading.isEmpty());
    }

    /**
     * As {@link #end(Map)}, {@code answered} saying whether the server itself answered INFO: the reading may hold the
     * kernel's figures of a process that no longer answers.
     */
    public synchronized Figures end(Map<String, String> reading, boolean answered) {
        open = false;
        return new Figures(threadsPeak, rssPeak, InfoField.CONNECTED_CLIENTS.number(reading),
                difference(InfoField.TOTAL_COMMANDS_PROCESSED.number(start), InfoField.TOTAL_COMMANDS_PROCESSED.number(reading)),
                answered, start, reading);
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
