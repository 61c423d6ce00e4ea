package dev.netplay.client.load.plan;

import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server to measure: {@code NAME=HOST:PORT} (the name labels it in tables and graphs), and its pid where the one who
 * started it knows it (compare does): its process figures are then read from /proc whatever it reports of itself.
 */
public record Target(String name, String host, int port, Long pid) {
    private static final Pattern SPEC = Pattern.compile("([A-Za-z0-9_.-]+)=(\\[[^\\]]+\\]|[^:=]+):(\\d{1,5})");
    private static final int MAX_PORT = 65_535;

    /** A target whose process is not known (it may tell its pid in INFO, as netplay and redis-server do). */
    public Target(String name, String host, int port) {
        this(name, host, port, null);
    }

    public static Target parse(String spec) {
        Matcher m = SPEC.matcher(spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--target '" + spec + "' is not NAME=HOST:PORT (e.g. netty=127.0.0.1:7001)");
        }
        int port = Integer.parseInt(m.group(3));
        if (port < 1 || port > MAX_PORT) {
            throw new IllegalArgumentException("--target '" + spec + "': port " + port + " is out of range (expected: 1.." + MAX_PORT + ")");
        }
        String host = m.group(2).replace("[", "").replace("]", "");
        return new Target(m.group(1), host, port);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    public String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
