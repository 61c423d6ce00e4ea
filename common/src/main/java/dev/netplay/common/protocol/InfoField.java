package dev.netplay.common.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every field of netplay's INFO reply, one catalogue: the server's INFO report writes each by its constant, the load client
 * reads each by the same constant, so a renamed field breaks the build on both sides instead of reading as unknown.
 * Fields come in reply order within their section.
 */
public enum InfoField {
    SERVER_MODEL(Section.SERVER, Unit.TEXT),
    TRANSPORT(Section.SERVER, Unit.TEXT),
    IO_THREADS(Section.SERVER, Unit.COUNT),
    POOL_SIZE(Section.SERVER, Unit.COUNT),
    SLEEP_MODE(Section.SERVER, Unit.TEXT),
    JAVA_VERSION(Section.SERVER, Unit.TEXT),
    PID(Section.SERVER, Unit.COUNT),
    UPTIME_MS(Section.SERVER, Unit.MILLISECONDS),
    SERVER_TIME_USEC(Section.SERVER, Unit.MICROSECONDS),
    MAX_CONNECTIONS(Section.SERVER, Unit.COUNT),
    REQUEST_TIMEOUT_MS(Section.SERVER, Unit.MILLISECONDS),
    WRITE_TIMEOUT_MS(Section.SERVER, Unit.MILLISECONDS),
    DEBUG_COMMANDS(Section.SERVER, Unit.TEXT),
    PROTECTED_MODE(Section.SERVER, Unit.TEXT),

    CONNECTED_CLIENTS(Section.CLIENTS, Unit.COUNT),
    TOTAL_CONNECTIONS_RECEIVED(Section.CLIENTS, Unit.COUNT),
    REJECTED_CONNECTIONS(Section.CLIENTS, Unit.COUNT),
    DENIED_CONNECTIONS(Section.CLIENTS, Unit.COUNT),
    CLIENT_MEMORY_BYTES(Section.CLIENTS, Unit.BYTES),
    CLIENT_MEMORY_LIMIT_BYTES(Section.CLIENTS, Unit.BYTES),
    EVICTED_CLIENTS(Section.CLIENTS, Unit.COUNT),

    TOTAL_COMMANDS_PROCESSED(Section.STATS, Unit.COUNT),
    REQUESTS_IN_FLIGHT(Section.STATS, Unit.COUNT),
    TIMED_OUT_REQUESTS(Section.STATS, Unit.COUNT),
    STALLED_WRITES_CLOSED(Section.STATS, Unit.COUNT),
    REJECTED_REQUESTS(Section.STATS, Unit.COUNT),
    DROPPED_REQUESTS(Section.STATS, Unit.COUNT),
    SHUTDOWN_ERRORS(Section.STATS, Unit.COUNT),

    BACKEND(Section.BACKEND, Unit.TEXT),
    BACKEND_COMMAND(Section.BACKEND, Unit.TEXT),
    BACKEND_REPLY(Section.BACKEND, Unit.TEXT),
    BACKEND_TIMEOUT_MS(Section.BACKEND, Unit.MILLISECONDS),
    BACKEND_MAX_CONNECTIONS(Section.BACKEND, Unit.COUNT),
    BACKEND_GATHER(Section.BACKEND, Unit.TEXT),
    BACKEND_CONNECTIONS(Section.BACKEND, Unit.COUNT),
    BACKEND_CALLS_IN_FLIGHT(Section.BACKEND, Unit.COUNT),
    BACKEND_CALLS(Section.BACKEND, Unit.COUNT),
    BACKEND_ERRORS(Section.BACKEND, Unit.COUNT),
    BACKEND_CALLS_CANCELLED(Section.BACKEND, Unit.COUNT),

    THREADS_LIVE(Section.RESOURCES, Unit.COUNT),
    THREADS_PEAK(Section.RESOURCES, Unit.COUNT),
    RSS_BYTES(Section.RESOURCES, Unit.BYTES),
    HEAP_USED_BYTES(Section.RESOURCES, Unit.BYTES),
    PROCESS_CPU_NS(Section.RESOURCES, Unit.NANOSECONDS),

    HEAP_MAX_BYTES(Section.MEMORY, Unit.BYTES),
    HEAP_LIVE_BYTES(Section.MEMORY, Unit.BYTES),
    GC_PAUSES(Section.MEMORY, Unit.COUNT),
    GC_PAUSE_TOTAL_MS(Section.MEMORY, Unit.MILLISECONDS),
    GC_PAUSE_MAX_MS(Section.MEMORY, Unit.MILLISECONDS),
    GC_PAUSE_HIST(Section.MEMORY, Unit.HISTOGRAM),

    SLEEPS(Section.LATENCY, Unit.COUNT),
    SLEEP_OVERSHOOT_P50_US(Section.LATENCY, Unit.MICROSECONDS),
    SLEEP_OVERSHOOT_P99_US(Section.LATENCY, Unit.MICROSECONDS),
    SLEEP_OVERSHOOT_HIST(Section.LATENCY, Unit.HISTOGRAM),

    PROCESS_CPU_USER_NS(Section.SCHEDULER, Unit.NANOSECONDS),
    PROCESS_CPU_SYS_NS(Section.SCHEDULER, Unit.NANOSECONDS),
    SCHED_THREADS(Section.SCHEDULER, Unit.COUNT),
    SCHED_THREADS_READ(Section.SCHEDULER, Unit.COUNT),
    SCHED_SAMPLE_STRIDE(Section.SCHEDULER, Unit.COUNT),
    CTX_SWITCHES_VOLUNTARY(Section.SCHEDULER, Unit.COUNT),
    CTX_SWITCHES_INVOLUNTARY(Section.SCHEDULER, Unit.COUNT),
    SCHED_RUN_NS(Section.SCHEDULER, Unit.NANOSECONDS),
    RUNQUEUE_WAIT_NS(Section.SCHEDULER, Unit.NANOSECONDS),
    SCHED_READ_NS(Section.SCHEDULER, Unit.NANOSECONDS),
    SCHED_READ_CPU_NS(Section.SCHEDULER, Unit.NANOSECONDS),
    /** 1 when the reading is an earlier caller's, shared (at most one a second is made). */
    SCHED_SHARED(Section.SCHEDULER, Unit.COUNT);

    /** INFO's sections, in reply order. */
    public enum Section {
        SERVER("Server"), CLIENTS("Clients"), STATS("Stats"), BACKEND("Backend"), RESOURCES("Resources"),
        MEMORY("Memory"), LATENCY("Latency"),
        /** Only when asked for by name (or {@code everything}): it reads two files per thread. */
        SCHEDULER("Scheduler");

        private final String title;

        Section(String title) {
            this.title = title;
        }

        /** As the reply's {@code # Title} line writes it. */
        public String title() {
            return title;
        }

        /** Its fields, in reply order. */
        public List<InfoField> fields() {
            return Arrays.stream(InfoField.values()).filter(f -> f.section == this).toList();
        }
    }

    /** What a field's value is; numbers are integers, -1 where unknown. */
    public enum Unit { TEXT, COUNT, BYTES, NANOSECONDS, MICROSECONDS, MILLISECONDS, HISTOGRAM }

    private final Section section;
    private final Unit unit;
    private final String key = name().toLowerCase(Locale.ROOT);

    InfoField(Section section, Unit unit) {
        this.section = section;
        this.unit = unit;
    }

    /** The name on the wire: {@code key:value}. */
    public String key() {
        return key;
    }

    public Section section() {
        return section;
    }

    public Unit unit() {
        return unit;
    }

    /** This field's text in a parsed INFO ({@link InfoText#parse}), or null (also when {@code info} is). */
    public String in(Map<String, String> info) {
        return info == null ? null : info.get(key);
    }

    /** This field as a non-negative number of a parsed INFO; null where absent, not a number, or negative (unknown). */
    public Long number(Map<String, String> info) {
        return info == null ? null : InfoText.number(info, key);
    }
}
