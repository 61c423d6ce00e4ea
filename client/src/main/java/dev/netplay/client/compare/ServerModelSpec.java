package dev.netplay.client.compare;

import java.util.List;
import java.util.Locale;

/** The server models compare can start, and the server command line of each. */
enum ServerModelSpec {
    NETTY("netty", List.of("netty")),
    THREADS_PLATFORM("threads-platform", List.of("threads", "--threads", "platform")),
    THREADS_VIRTUAL("threads-virtual", List.of("threads", "--threads", "virtual")),
    THREADS_POOL("threads-pool", List.of("threads", "--threads", "pool")),
    NETTY_BLOCKING("netty-blocking", List.of("netty", "--blocking-sleep"));

    static final List<ServerModelSpec> DEFAULT = List.of(NETTY, THREADS_PLATFORM, THREADS_VIRTUAL, THREADS_POOL);

    final String label;
    final List<String> args;

    ServerModelSpec(String label, List<String> args) {
        this.label = label;
        this.args = args;
    }

    static ServerModelSpec parse(String name) {
        for (ServerModelSpec m : values()) {
            if (m.label.equalsIgnoreCase(name.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("--models '" + name + "' is not a model (expected: "
                + String.join(", ", java.util.Arrays.stream(values()).map(m -> m.label).toList()) + ")");
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
