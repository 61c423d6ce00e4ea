package dev.netplay.common.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The protocol's commands, one catalogue: their names, how many arguments each takes, and what its reply depends on.
 * The dispatcher answers them (its {@code switch} over this enum is an expression: a new command does not compile until
 * it is answered), the parser recognises their names, and the load client reads here which replies it can check byte
 * for byte.
 */
public enum Command {
    PING(0, 1, Answer.FROM_REQUEST),
    ECHO(1, 1, Answer.FROM_REQUEST),
    SLEEP(1, 1, Answer.FROM_REQUEST),
    FETCH(1, 1, Answer.FROM_REQUEST),
    GATHER(2, 2, Answer.FROM_REQUEST),
    DATA(1, 1, Answer.FROM_REQUEST),
    WORK(1, 1, Answer.FROM_REQUEST),
    INFO(0, 1, Answer.FROM_SERVER),
    QUIT(0, 0, Answer.CLOSES),
    CONFIG(2, Command.ANY, Answer.FROM_REQUEST),
    COMMAND(0, Command.ANY, Answer.FROM_REQUEST),
    HELLO(0, Command.ANY, Answer.FROM_SERVER),
    CLIENT(1, Command.ANY, Answer.FROM_SERVER),
    MEMORY(1, Command.ANY, Answer.FROM_SERVER),
    SELECT(1, 1, Answer.FROM_REQUEST),
    AUTH(1, Command.ANY, Answer.FROM_SERVER);

    /** What a command's reply depends on. */
    public enum Answer {
        /**
         * The request alone, on a fresh RESP2 connection ({@code FETCH}/{@code GATHER}: once the server has a backend):
         * {@link Requests#answerFromRequest} gives it without a server.
         */
        FROM_REQUEST,
        /** The server's or the connection's state (INFO's figures, a session's name, a debug command's permission). */
        FROM_SERVER,
        /** None: the server closes the connection after its reply. */
        CLOSES
    }

    /** No upper bound on the arguments. */
    private static final int ANY = Integer.MAX_VALUE;
    private static final Command[] ALL = values();

    private final int minArgs;
    private final int maxArgs;
    private final Answer answer;
    private final String label = name().toLowerCase(Locale.ROOT);
    private final byte[] upper = name().getBytes(StandardCharsets.US_ASCII);

    Command(int minArgs, int maxArgs, Answer answer) {
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
        this.answer = answer;
    }

    /** The name as Redis writes it in its errors: lower case. */
    public String label() {
        return label;
    }

    public Answer answer() {
        return answer;
    }

    /** True if its reply follows from the request alone, so that a client can check every reply byte for byte. */
    public boolean replyFollowsFromRequest() {
        return answer == Answer.FROM_REQUEST;
    }

    /** True if it takes {@code argc} arguments (the command name not counted). */
    public boolean accepts(int argc) {
        return argc >= minArgs && argc <= maxArgs;
    }

    /** The arguments it takes, as its arity errors say: {@code 1}, {@code 0..1}, {@code >= 2}. */
    public String arity() {
        if (maxArgs == ANY) {
            return ">= " + minArgs;
        }
        return minArgs == maxArgs ? String.valueOf(minArgs) : minArgs + ".." + maxArgs;
    }

    /** The command named (in any case) by {@code name}, or null; allocates nothing. */
    public static Command of(byte[] name) {
        for (Command c : ALL) {
            if (c.upper.length == name.length && sameIgnoringCase(c.upper, name)) {
                return c;
            }
        }
        return null;
    }

    /** The command named (in any case) by {@code name}. */
    public static Optional<Command> named(String name) {
        return Optional.ofNullable(of(name.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static boolean sameIgnoringCase(byte[] upper, byte[] name) {
        for (int i = 0; i < upper.length; i++) {
            int b = name[i];
            if (b >= 'a' && b <= 'z') {
                b -= 'a' - 'A';
            }
            if (b != upper[i]) {
                return false;
            }
        }
        return true;
    }
}
