package dev.netplay.common.cli;

import java.net.InetSocketAddress;

/** An address given on a command line as {@code host:port}. */
public final class HostPort {
    private HostPort() {
    }

    /** Parses {@code host:port} (or {@code [v6]:port}) given with {@code option}; the error names both and what is expected. */
    public static InetSocketAddress parse(String option, String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException(option + " '" + text + "' is not HOST:PORT (e.g. 127.0.0.1:7002)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(option + " '" + text + "': port is out of range (expected: 1..65535)");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(option + " '" + text + "': host '" + host + "' is not known");
        }
        return address;
    }
}
