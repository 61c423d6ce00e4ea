package dev.netplay.client.load.plan;

import dev.netplay.common.protocol.Action;
import dev.netplay.common.protocol.Command;
import dev.netplay.common.protocol.Requests;
import dev.netplay.common.resp.Resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The request a load run sends, encoded once as a multibulk, and the reply it must get. Every command whose reply
 * follows from the request ({@link Command#replyFollowsFromRequest()}) is checked byte for byte against the protocol's
 * own answer ({@link Requests#answerFromRequest}), so client and servers cannot disagree on it; any other
 * reply must not be an error.
 */
public final class RequestSpec {
    private static final byte[] ECHO = "ECHO".getBytes(StandardCharsets.US_ASCII);

    /** What the reply to the request must be, and how long the request sleeps (-1: not a SLEEP). */
    private record Expected(ReplyCheck check, long sleepMillis) {
    }

    private final String text;
    private final String command;
    private final byte[] encoded;
    private final ReplyCheck check;
    private final long sleepMillis;

    private RequestSpec(String text, String command, byte[] encoded, ReplyCheck check, long sleepMillis) {
        this.text = text;
        this.command = command;
        this.encoded = encoded;
        this.check = check;
        this.sleepMillis = sleepMillis;
    }

    /** No known wait: the request is not SLEEP, FETCH or GATHER, and none was given. */
    public static final long UNKNOWN_WAIT = -1;

    /**
     * Parses {@code --request} with what its reply must be and how long the server takes to give it, for a request that
     * is not netplay's own (e.g. redis-server's {@code BLPOP nothing 1}, answered {@code *-1} after a second).
     *
     * @param expectedLine the reply's RESP line (e.g. {@code *-1}, {@code +OK}), or null for the protocol's own answer
     * @param takesMillis  D of Little's law, or {@link #UNKNOWN_WAIT} for what the request itself says
     */
    public static RequestSpec parse(String text, String expectedLine, long takesMillis) {
        RequestSpec spec = parse(text);
        ReplyCheck check = spec.check;
        if (expectedLine != null) {
            if (expectedLine.isBlank() || "+-:$*_#,%=(!|>~".indexOf(expectedLine.charAt(0)) < 0 || expectedLine.contains("\r")
                    || expectedLine.contains("\n")) {
                throw new IllegalArgumentException("--expect '" + expectedLine + "' is not a RESP reply line (e.g. *-1, +OK, :0)");
            }
            try {
                check = ReplyCheck.exact((expectedLine + "\r\n").getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--expect '" + expectedLine + "': only a simple string (+...) or an "
                        + "array's length (*N, *-1) can be checked");
            }
        }
        long sleep = takesMillis >= 0 ? takesMillis : spec.sleepMillis;
        return new RequestSpec(spec.text, spec.command, spec.encoded, check, sleep);
    }

    /** Parses {@code --request}; a netplay command with a bad argument fails with the server's own error text. */
    public static RequestSpec parse(String text) {
        String[] words = text.trim().split("\\s+");
        if (text.isBlank()) {
            throw new IllegalArgumentException("--request is empty (expected a command, e.g. \"SLEEP 1000\")");
        }
        List<byte[]> args = new ArrayList<>();
        for (String word : words) {
            args.add(word.getBytes(StandardCharsets.UTF_8));
        }
        String command = words[0].toLowerCase(Locale.ROOT);
        Command known = Command.named(command).orElse(null);
        if (known != null && known.answer() == Command.Answer.CLOSES) {
            throw new IllegalArgumentException("--request " + known + " closes the connection after one reply: not a load request");
        }
        Expected expected = new Expected(ReplyCheck.anyNonError(), -1);
        if (known != null && known.replyFollowsFromRequest()) {
            expected = Requests.answerFromRequest(args).accept(new Action.Visitor<Expected, IllegalArgumentException>() {
                @Override
                public Expected reply(Action.Reply reply) {
                    String replyText = new String(reply.bytes(), StandardCharsets.ISO_8859_1);
                    if (replyText.startsWith("-")) {
                        throw new IllegalArgumentException("--request '" + text + "': " + replyText.substring(1).trim());
                    }
                    return new Expected(ReplyCheck.exact(reply.bytes()), -1);
                }

                @Override
                public Expected sleep(Action.Sleep sleep) {
                    return new Expected(ReplyCheck.exact(Resp.OK), sleep.millis());
                }

                @Override
                public Expected data(Action.Data data) {
                    return new Expected(ReplyCheck.pattern(data.length()), -1);
                }

                @Override
                public Expected work(Action.Work work) {
                    return new Expected(ReplyCheck.exact(work.reply()), -1);
                }

                @Override
                public Expected fetch(Action.Fetch fetch) {
                    // The wait each connection needs at best: GATHER's calls overlapped, as an event loop makes them.
                    return new Expected(ReplyCheck.exact(Resp.OK), fetch.millis());
                }

                @Override
                public Expected quit(Action.Quit quit) {
                    throw new IllegalArgumentException("--request QUIT closes the connection after one reply: not a load request");
                }
            });
        }
        ReplyCheck check = expected.check();
        long sleepMillis = expected.sleepMillis();
        return new RequestSpec(text.trim(), command, Resp.command(args.toArray(new byte[0][])), check, sleepMillis);
    }

    public String text() {
        return text;
    }

    public String command() {
        return command;
    }

    /** The multibulk bytes; shared, never modified. */
    public byte[] encoded() {
        return encoded;
    }

    public ReplyCheck check() {
        return check;
    }

    /** True if each request can carry its own payload: {@code ECHO} with one argument. */
    public boolean canBeUnique() {
        return command.equals("echo") && text.trim().split("\\s+").length == 2;
    }

    /** {@code <payload>-<connection>-<sequence>}, so that a lost, duplicated or reordered reply shows. */
    public byte[] uniquePayload(long connection, long sequence) {
        return (text.trim().split("\\s+")[1] + "-" + connection + "-" + sequence).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code ECHO payload} as a multibulk. */
    public static byte[] uniqueEchoRequest(byte[] payload) {
        return Resp.command(ECHO, payload);
    }

    /** The SLEEP duration in ms, or -1 if this is not a SLEEP. */
    public long sleepMillis() {
        return sleepMillis;
    }
}
