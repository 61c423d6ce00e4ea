package dev.netplay.common.protocol;

import dev.netplay.common.limits.Limits;
import dev.netplay.common.resp.Decimal;
import dev.netplay.common.resp.RequestParser;
import dev.netplay.common.resp.Resp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * The protocol's answers that follow from the request alone: argument checks, their error texts, and the replies or
 * actions of the commands that keep no state ({@link Command#replyFollowsFromRequest()}). The servers' dispatcher
 * answers these commands here, and the load client checks its replies against the same answers, so the two cannot
 * disagree.
 */
public final class Requests {
    private Requests() {
    }

    /** The command names as clients send them, upper and lower case: every server's parser shares these arrays. */
    public static final RequestParser.Vocabulary COMMAND_NAMES = RequestParser.Vocabulary.of(
            Stream.of(Command.values()).flatMap(c -> Stream.of(c.name(), c.label())).toList());

    private static final Action PONG = new Action.Reply(Resp.PONG);

    /**
     * What a fresh RESP2 connection gets for a request whose reply follows from the request alone
     * ({@link Command#replyFollowsFromRequest()}; FETCH and GATHER as on a server with a backend): the load client's
     * check of its request and reply, with no server built for it. An error reply if the request is bad.
     *
     * @throws IllegalArgumentException if the command is unknown or its reply depends on a server's state
     */
    public static Action answerFromRequest(List<byte[]> args) {
        Command command = Command.of(args.get(0));
        if (command == null || !command.replyFollowsFromRequest()) {
            throw new IllegalArgumentException("the reply to '" + Resp.quote(args.get(0))
                    + "' does not follow from the request alone");
        }
        int argc = args.size() - 1;
        return command.accepts(argc) ? fromRequest(command, args, false) : arity(command.label(), argc, command.arity());
    }

    /** The commands whose reply follows from the request: argument checks and replies, the arity already checked. */
    public static Action fromRequest(Command command, List<byte[]> args, boolean resp3) {
        return switch (command) {
            case PING -> args.size() == 1 ? PONG : reply(Resp.bulk(args.get(1)));
            case ECHO -> reply(Resp.bulk(args.get(1)));
            case SLEEP -> sleep(args.get(1));
            case FETCH -> fetch(args.get(1));
            case GATHER -> gather(args.get(1), args.get(2));
            case DATA -> data(args.get(1));
            case WORK -> work(args.get(1));
            case CONFIG -> config(args, resp3);
            case COMMAND -> reply(args.size() >= 2 && text(args.get(1)).equalsIgnoreCase("docs") ? Resp.mapHeader(0, resp3)
                    : Resp.EMPTY_ARRAY);
            case SELECT -> select(args.get(1));
            case INFO, QUIT, HELLO, CLIENT, MEMORY, AUTH -> throw new IllegalArgumentException(
                    "the reply to " + command + " does not follow from the request alone");
        };
    }

    private static Action sleep(byte[] value) {
        return bounded("SLEEP", "ms", value, Limits.MAX_SLEEP_MILLIS, Action.Sleep::new);
    }

    /** {@code FETCH ms}: one backend call asking it to wait ms. */
    private static Action fetch(byte[] value) {
        return bounded("FETCH", "ms", value, Limits.MAX_SLEEP_MILLIS, ms -> new Action.Fetch(1, ms));
    }

    /** {@code GATHER n ms}: n backend calls at once, each asking it to wait ms. */
    private static Action gather(byte[] count, byte[] value) {
        Action calls = bounded("GATHER", "n", count, 1, Limits.MAX_GATHER_CALLS, n -> new Action.Fetch((int) n, 0));
        if (!(calls instanceof Action.Fetch f)) {
            return calls;
        }
        return bounded("GATHER", "ms", value, Limits.MAX_SLEEP_MILLIS, ms -> new Action.Fetch(f.calls(), ms));
    }

    private static Action data(byte[] value) {
        return bounded("DATA", "n", value, Limits.MAX_DATA_BYTES, Action.Data::new);
    }

    private static Action work(byte[] value) {
        return bounded("WORK", "n", value, Limits.MAX_WORK_ROUNDS, Action.Work::new);
    }

    private static Action config(List<byte[]> args, boolean resp3) {
        if (!text(args.get(1)).equalsIgnoreCase("get")) {
            return error("CONFIG subcommand '" + Resp.quote(args.get(1)) + "' is not supported (expected: GET)");
        }
        return reply(Resp.mapHeader(0, resp3)); // no parameter matches: an empty map
    }

    /**
     * {@code SELECT index}: netplay keeps no data, so it has one database, 0, as a Redis started with
     * {@code databases 1}; clients that select it (redis-py and Jedis may, on connect) get what Redis answers.
     */
    private static Action select(byte[] value) {
        long index = Decimal.parse(value);
        if (!Decimal.isNumber(index)) {
            return error("value is not an integer or out of range");
        }
        return index == 0 ? reply(Resp.OK) : error("DB index is out of range");
    }

    /** Runs {@code ok} with the value if it is a decimal integer in [0, max]; else an error naming value and range. */
    private static Action bounded(String command, String param, byte[] value, long max, LongFunction<Action> ok) {
        return bounded(command, param, value, 0, max, ok);
    }

    /** As {@link #bounded(String, String, byte[], long, LongFunction)}, in [min, max]. */
    private static Action bounded(String command, String param, byte[] value, long min, long max, LongFunction<Action> ok) {
        long n = Decimal.parse(value);
        String why;
        if (n == Decimal.NOT_A_NUMBER) {
            why = "not an integer";
        } else if (n == Decimal.TOO_LONG || n < min || n > max) {
            why = "out of range";
        } else {
            return ok.apply(n);
        }
        return error(command + " " + param + " is " + why + ": '" + Resp.quote(value) + "' (expected: " + min + ".." + max + ")");
    }

    public static Action unknown(byte[] name) {
        return error("unknown command '" + Resp.quote(name) + "'");
    }

    public static Action arity(String name, int got, String expected) {
        return error("wrong number of arguments for '" + name + "' command (got " + got + ", expected: " + expected + ")");
    }

    public static Action error(String text) {
        return new Action.Reply(Resp.error(text));
    }

    public static Action reply(byte[] bytes) {
        return new Action.Reply(bytes);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
