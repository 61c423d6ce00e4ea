package dev.netplay.client.load.connect;

import org.HdrHistogram.Recorder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Everything a load run counts, cumulative; a level's figures are the differences at its window's edges. */
public final class Counters {
    /** Latencies are recorded in ns with 3 significant digits; HdrHistogram resizes as values grow. */
    private static final int SIGNIFICANT_DIGITS = 3;

    public final Recorder latency = new Recorder(SIGNIFICANT_DIGITS);
    /** Open model only: latency from the actual send, which hides the time a request waited to be sent. */
    public final Recorder uncorrectedLatency = new Recorder(SIGNIFICANT_DIGITS);
    /** With {@code --raw-latencies}: every latency of the windows kept as well; null otherwise. */
    public RawLatencies raw;
    public final Recorder connectTime = new Recorder(SIGNIFICANT_DIGITS);
    /** Open model only: how late each request left against its planned time. */
    public final Recorder sendLag = new Recorder(SIGNIFICANT_DIGITS);

    final LongAdder sent = new LongAdder();
    public final LongAdder completed = new LongAdder();
    public final LongAdder wrongReplies = new LongAdder();
    /** The first wrong reply since it was last taken, as its first line reads: a level's note quotes it. */
    private final java.util.concurrent.atomic.AtomicReference<String> firstWrongReply = new java.util.concurrent.atomic.AtomicReference<>();

    /** A reply that was not the one the request must get, {@code got} how it began. */
    void wrongReply(String got) {
        wrongReplies.increment();
        firstWrongReply.compareAndSet(null, got);
    }

    /** The first wrong reply since the last call (null if none), and forget it: one per level. */
    public String takeFirstWrongReply() {
        return firstWrongReply.getAndSet(null);
    }
    public final LongAdder serverErrors = new LongAdder();
    public final LongAdder closedMidRequest = new LongAdder();
    public final LongAdder timeouts = new LongAdder();

    final LongAdder connectAttempted = new LongAdder();
    final LongAdder connectEstablished = new LongAdder();
    final LongAdder connectRefused = new LongAdder();
    final LongAdder connectTimedOut = new LongAdder();
    final LongAdder connectReset = new LongAdder();
    final LongAdder connectServerError = new LongAdder();
    final LongAdder connectOther = new LongAdder();

    /** With {@code --mix}: each request's own latency and count, by its text. */
    public final Map<String, ByCommand> byCommand;

    /** One request of a mix: its latency and completions. */
    public static final class ByCommand {
        public final Recorder latency = new Recorder(SIGNIFICANT_DIGITS);
        public final LongAdder completed = new LongAdder();
    }

    public Counters() {
        this(List.of());
    }

    /** With a latency recorder and a counter for each of {@code commands} too. */
    public Counters(List<String> commands) {
        Map<String, ByCommand> m = new LinkedHashMap<>();
        commands.forEach(c -> m.put(c, new ByCommand()));
        byCommand = java.util.Collections.unmodifiableMap(m);
    }

    void connectFailed(ConnectFailure failure) {
        switch (failure) {
            case REFUSED -> connectRefused.increment();
            case TIMED_OUT -> connectTimedOut.increment();
            case RESET -> connectReset.increment();
            case OTHER -> connectOther.increment();
            default -> throw new IllegalStateException("a connect failure with no counter: " + failure);
        }
    }

    /** The snapshot key of one mix request's completions. */
    public static String completedKey(String command) {
        return "completed:" + command;
    }

    /**
     * A snapshot of the plain counters, by name. With a mix, "completed" is the sum of the requests' own counts taken in
     * the same pass, so the parts add up to the whole exactly (two adders read a moment apart would not).
     */
    public Map<String, Long> snapshot() {
        Map<String, Long> s = new LinkedHashMap<>();
        s.put("sent", sent.sum());
        if (byCommand.isEmpty()) {
            s.put("completed", completed.sum());
        } else {
            long all = 0;
            for (Map.Entry<String, ByCommand> c : byCommand.entrySet()) {
                long n = c.getValue().completed.sum();
                s.put(completedKey(c.getKey()), n);
                all += n;
            }
            s.put("completed", all);
        }
        s.put("wrong_reply", wrongReplies.sum());
        s.put("server_error", serverErrors.sum());
        s.put("closed_mid_request", closedMidRequest.sum());
        s.put("timeouts", timeouts.sum());
        s.put("attempted", connectAttempted.sum());
        s.put("established", connectEstablished.sum());
        s.put("refused", connectRefused.sum());
        s.put("timed_out", connectTimedOut.sum());
        s.put("reset", connectReset.sum());
        s.put("err_from_server", connectServerError.sum());
        s.put("other", connectOther.sum());
        return s;
    }
}
