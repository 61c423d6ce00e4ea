package dev.netplay.common.protocol;

import dev.netplay.common.metrics.GcMonitor;
import dev.netplay.common.resp.Resp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The protocol's commands: argument checks, error texts and replies. Both server models call {@link #dispatch}
 * for every request, so they answer alike by construction. Thread-safe.
 */
public final class CommandDispatcher {
    private final ServerSettings settings;
    private final ServerStats stats;

    public CommandDispatcher(ServerSettings settings, ServerStats stats) {
        this.settings = settings;
        this.stats = stats;
    }

    /** What to do for one request; {@code args} holds the command name first, and is never empty. */
    public Action dispatch(List<byte[]> args) {
        stats.commandProcessed();
        String name = new String(args.get(0), StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        int argc = args.size() - 1;
        return switch (name) {
            case "ping" -> argc > 1 ? arity(name, argc, "0..1")
                    : reply(argc == 0 ? Resp.PONG : Resp.bulk(args.get(1)));
            case "echo" -> argc != 1 ? arity(name, argc, "1") : reply(Resp.bulk(args.get(1)));
            case "sleep" -> argc != 1 ? arity(name, argc, "1") : sleep(args.get(1));
            case "data" -> argc != 1 ? arity(name, argc, "1") : data(args.get(1));
            case "work" -> argc != 1 ? arity(name, argc, "1") : work(args.get(1));
            case "info" -> argc > 1 ? arity(name, argc, "0..1") : info(argc == 0 ? null : text(args.get(1)));
            case "quit" -> argc != 0 ? arity(name, argc, "0") : new Action.Quit();
            case "config" -> config(args);
            case "command" -> reply(Resp.EMPTY_ARRAY);
            case "memory" -> memory(args);
            case "select" -> argc != 1 ? arity(name, argc, "1") : select(args.get(1));
            default -> error("unknown command '" + Resp.quote(args.get(0)) + "'");
        };
    }

    private Action sleep(byte[] value) {
        return bounded("SLEEP", "ms", value, Limits.MAX_SLEEP_MILLIS, Action.Sleep::new);
    }

    private Action data(byte[] value) {
        return bounded("DATA", "n", value, Limits.MAX_DATA_BYTES, Action.Data::new);
    }

    private Action work(byte[] value) {
        return bounded("WORK", "n", value, Limits.MAX_WORK_ROUNDS, n -> reply(Resp.bulk(Work.sha256Rounds(n))));
    }

    private Action info(String section) {
        return reply(Resp.bulk(InfoReport.render(settings, stats, section)));
    }

    private Action config(List<byte[]> args) {
        if (args.size() < 3) {
            return arity("config", args.size() - 1, ">= 2");
        }
        String sub = text(args.get(1));
        if (!sub.equalsIgnoreCase("get")) {
            return error("CONFIG subcommand '" + Resp.quote(args.get(1)) + "' is not supported (expected: GET)");
        }
        return reply(Resp.EMPTY_ARRAY);
    }

    /**
     * {@code MEMORY PURGE}: Redis asks its allocator to return memory; here a full collection, so that the next INFO's
     * {@code heap_live_bytes} is the live data alone. The client sends it outside its measured windows.
     */
    private Action memory(List<byte[]> args) {
        if (args.size() < 2) {
            return arity("memory", 0, ">= 1");
        }
        if (!text(args.get(1)).equalsIgnoreCase("purge")) {
            return error("MEMORY subcommand '" + Resp.quote(args.get(1)) + "' is not supported (expected: PURGE)");
        }
        if (args.size() != 2) {
            return arity("memory|purge", args.size() - 2, "0");
        }
        GcMonitor.get().collectFully();
        return reply(Resp.OK);
    }

    /**
     * {@code SELECT index}: netplay keeps no data, so it has one database, 0, as a Redis started with
     * {@code databases 1}; clients that select it (redis-py and Jedis may, on connect) get what Redis answers.
     */
    private Action select(byte[] value) {
        String s = text(value);
        if (!s.matches("-?[0-9]{1,18}")) {
            return error("value is not an integer or out of range");
        }
        return Long.parseLong(s) == 0 ? reply(Resp.OK) : error("DB index is out of range");
    }

    /** Runs {@code ok} with the value if it is a decimal integer in [0, max]; else an error naming value and range. */
    private static Action bounded(String command, String param, byte[] value, long max, LongFunction<Action> ok) {
        String s = text(value);
        String why;
        if (!s.matches("-?[0-9]+")) {
            why = "not an integer";
        } else if (s.length() > 18 || Long.parseLong(s) < 0 || Long.parseLong(s) > max) {
            why = "out of range";
        } else {
            return ok.apply(Long.parseLong(s));
        }
        return error(command + " " + param + " is " + why + ": '" + Resp.quote(value) + "' (expected: 0.." + max + ")");
    }

    private static Action arity(String name, int got, String expected) {
        return error("wrong number of arguments for '" + name + "' command (got " + got + ", expected: " + expected + ")");
    }

    private static Action error(String text) {
        return new Action.Reply(Resp.error(text));
    }

    private static Action reply(byte[] bytes) {
        return new Action.Reply(bytes);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
