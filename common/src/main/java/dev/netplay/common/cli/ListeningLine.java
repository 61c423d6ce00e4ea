package dev.netplay.common.cli;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line a server prints once it listens, e.g. {@code netplay netty listening on 127.0.0.1:7001 (transport=epoll ...)}:
 * written here and read here, by compare, the scripts' users and the tests that start a server process.
 */
public final class ListeningLine {
    private static final Pattern LISTENING = Pattern.compile("netplay \\S+ listening on (\\S+):(\\d+) ");

    private ListeningLine() {
    }

    /** The line of server {@code model} listening on {@code address}; {@code details} are its settings, as key=value words. */
    public static String of(String model, InetSocketAddress address, String details) {
        return String.format(Locale.ROOT, "netplay %s listening on %s:%d (%s java=%s pid=%d)", model, address.getHostString(),
                address.getPort(), details, System.getProperty("java.version"), ProcessHandle.current().pid());
    }

    /** The address a line of server output announces, if it is the listening line. */
    public static Optional<InetSocketAddress> parse(String line) {
        Matcher m = LISTENING.matcher(line);
        return m.find() ? Optional.of(InetSocketAddress.createUnresolved(m.group(1), Integer.parseInt(m.group(2))))
                : Optional.empty();
    }
}
