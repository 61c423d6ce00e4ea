package dev.netplay.client.compare;

import dev.netplay.common.cli.HostPort;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A server compare measures beside netplay's models ({@code --target}): a preset's name ({@code redis},
 * {@code py-asyncio} ...), {@code NAME=COMMAND} (compare starts it, {@value #PORT} standing for a free port), or
 * {@code NAME=HOST:PORT} (a server already running, measured from the client's side).
 *
 * @param name     its name in tables and graphs
 * @param command  the command's words ({@value #PORT} in one of them), or null for a running server
 * @param address  the running server's address, or null for a command
 * @param slow     its own slow request, where it has no SLEEP; null: it takes compare's request
 * @param preset   the preset it came from, or null
 */
public record TargetSpec(String name, List<String> command, InetSocketAddress address, SlowRequest slow, Preset preset) {
    /** Where a command takes its port. */
    public static final String PORT = "{port}";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\]]+\\]|[^\\s:=\\[\\]]+):\\d{1,5}");

    /**
     * A target's own slow request, for a server without SLEEP: sent instead of {@code SLEEP ms}, with {@code {s}}
     * standing for the same wait in seconds and {@code {ms}} in milliseconds.
     *
     * @param template the request, e.g. {@code BLPOP netplay:nothing {s}}
     * @param reply    the reply line it must get, e.g. {@code *-1}
     */
    public record SlowRequest(String template, String reply) {
        /** The request that waits {@code millis}. */
        public String forWait(long millis) {
            String seconds = millis % 1000 == 0 ? Long.toString(millis / 1000)
                    : String.format(Locale.ROOT, "%.3f", millis / 1000.0).replaceAll("0+$", "");
            return template.replace("{s}", seconds).replace("{ms}", Long.toString(millis));
        }
    }

    /** Whether compare starts it (else it is already running). */
    public boolean started() {
        return command != null;
    }

    /**
     * Parses one {@code --target}; {@code taken} are the names already used (models and earlier targets).
     *
     * @throws IllegalArgumentException naming the bad value and what is allowed
     */
    public static TargetSpec parse(String text, List<String> taken) {
        String spec = text.strip();
        int eq = spec.indexOf('=');
        TargetSpec target;
        if (eq < 0) {
            Preset preset = Preset.named(spec).orElseThrow(() -> new IllegalArgumentException("--target '" + spec
                    + "' is neither a preset (" + String.join(", ", Preset.names()) + ") nor NAME=COMMAND or NAME=HOST:PORT"));
            target = preset.target();
        } else {
            String name = spec.substring(0, eq).strip();
            String value = spec.substring(eq + 1).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("--target name '" + name + "' must be 1 to 32 of a-z 0-9 . _ -, "
                        + "starting with a letter or digit");
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("--target '" + spec + "' has nothing after '=' (expected a command with "
                        + PORT + ", or HOST:PORT)");
            }
            if (HOST_PORT.matcher(value).matches()) {
                target = new TargetSpec(name, null, HostPort.parse("--target " + name, value), null, null);
            } else {
                List<String> words = words(value);
                if (words.stream().noneMatch(w -> w.contains(PORT))) {
                    throw new IllegalArgumentException("--target '" + spec + "': the command has no " + PORT
                            + " (where compare puts the free port it chose, e.g. \"my-server --port " + PORT + "\")");
                }
                target = new TargetSpec(name, words, null, null, null);
            }
        }
        if (taken.contains(target.name())) {
            throw new IllegalArgumentException("--target name '" + target.name() + "' is already taken by a model or another "
                    + "target (taken: " + String.join(", ", taken) + ")");
        }
        return target;
    }

    /** This target with its own slow request ({@code --target-request NAME=TEMPLATE=REPLY}). */
    public TargetSpec withSlow(SlowRequest request) {
        return new TargetSpec(name, command, address, request, preset);
    }

    /** The command's words, {@value #PORT} replaced. */
    public List<String> commandFor(int port) {
        return command.stream().map(w -> w.replace(PORT, Integer.toString(port))).toList();
    }

    /** Splits a command line into words as a shell would for plain words, "double" and 'single' quotes. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("--target command '" + line + "' has an unclosed " + quote);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
