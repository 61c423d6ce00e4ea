package dev.netplay.server.core;

import dev.netplay.common.limits.Limits;
import dev.netplay.common.protocol.Action;
import dev.netplay.common.protocol.Command;

import dev.netplay.server.backend.BackendErrors;
import dev.netplay.common.metrics.GcMonitor;
import dev.netplay.common.resp.Decimal;
import dev.netplay.common.resp.RequestParser;
import dev.netplay.common.resp.Resp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.stream.Stream;

import static dev.netplay.common.protocol.Requests.arity;
import static dev.netplay.common.protocol.Requests.error;
import static dev.netplay.common.protocol.Requests.fromRequest;
import static dev.netplay.common.protocol.Requests.reply;
import static dev.netplay.common.protocol.Requests.unknown;

/**
 * The protocol's commands: argument checks, error texts and replies. Every server model calls {@link #dispatch}
 * for every request, so they answer alike by construction. Thread-safe; a connection's own state is its
 * {@link Session}.
 */
public final class CommandDispatcher implements ConnectionLedger.Dispatch {
    /** What HELLO reports as the server's name and version. */
    public static final String SERVER_NAME = "netplay";
    public static final String VERSION = "0.1.0";

    private final ServerSettings settings;
    private final ServerStats stats;

    public CommandDispatcher(ServerSettings settings, ServerStats stats) {
        this.settings = settings;
        this.stats = stats;
    }

    /** How the server was started: its connections read their guards here. */
    public ServerSettings settings() {
        return settings;
    }

    /** What to do for one request of {@code session}; {@code args} holds the command name first, and is never empty. */
    @Override
    public Action dispatch(Session session, List<byte[]> args) {
        stats.commandProcessed();
        Command command = Command.of(args.get(0));
        if (command == null) {
            return unknown(args.get(0));
        }
        int argc = args.size() - 1;
        if (!command.accepts(argc)) {
            return arity(command.label(), argc, command.arity());
        }
        // As Redis: an unknown command and a wrong arity are answered first, then a connection yet to give the
        // password may send AUTH, HELLO and QUIT only.
        if (mustAuthenticate(session) && command != Command.AUTH && command != Command.HELLO && command != Command.QUIT) {
            return NOAUTH;
        }
        return switch (command) {
            case PING, ECHO, SLEEP, DATA, WORK, CONFIG, COMMAND, SELECT -> fromRequest(command, args, session.resp3());
            case FETCH, GATHER -> settings.backend().configured() ? fromRequest(command, args, session.resp3())
                    : reply(BackendErrors.notConfigured(command.name()));
            case INFO -> info(session, argc == 0 ? null : text(args.get(1)));
            case QUIT -> new Action.Quit();
            case HELLO -> hello(session, args);
            case CLIENT -> client(session, args);
            case MEMORY -> memory(session, args);
            case AUTH -> auth(session, args);
        };
    }

    private static final Action NOAUTH = new Action.Reply(Resp.error("NOAUTH", "Authentication required."));
    private static final Action WRONGPASS = new Action.Reply(Resp.error("WRONGPASS",
            "invalid username-password pair or user is disabled."));
    /** The one user there is, as Redis names it. */
    private static final String DEFAULT_USER = "default";

    private boolean mustAuthenticate(Session session) {
        return settings.guards().requirePass() != null && !session.authenticated();
    }

    /** {@code AUTH password} or {@code AUTH default password}, with Redis's replies. */
    private Action auth(Session session, List<byte[]> args) {
        if (args.size() > 3) {
            return error("syntax error");
        }
        String password = settings.guards().requirePass();
        if (args.size() == 2 && password == null) {
            return error("AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        boolean user = args.size() == 2 || text(args.get(1)).equals(DEFAULT_USER);
        if (!user || !matches(args.get(args.size() - 1))) {
            return WRONGPASS;
        }
        session.authenticated(true);
        return reply(Resp.OK);
    }

    /** Whether the given password is the server's (any, where it has none: the default user then takes every one). */
    private boolean matches(byte[] given) {
        String password = settings.guards().requirePass();
        // in constant time: how long a wrong guess takes tells nothing of the right one
        return password == null || java.security.MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), given);
    }

    private Action info(Session session, String section) {
        return reply(Resp.verbatim(InfoReport.render(settings, stats, section), session.resp3()));
    }

    /**
     * {@code HELLO [protover [AUTH username password] [SETNAME name]]}, as Redis answers it with no password set (the
     * default user takes any password): switches the connection to RESP2 or RESP3 and describes the server, a map
     * (in RESP2 a flat array). Nothing changes unless every option is valid.
     */
    private Action hello(Session session, List<byte[]> args) {
        int version = session.protocol();
        if (args.size() >= 2) {
            long asked = Decimal.parse(args.get(1));
            if (!Decimal.isNumber(asked)) {
                return error("Protocol version is not an integer or out of range");
            }
            if (asked < Session.RESP2 || asked > Session.RESP3) {
                return new Action.Reply(Resp.error("NOPROTO", "unsupported protocol version"));
            }
            version = (int) asked;
        }
        byte[] newName = null;
        boolean authenticates = false;
        for (int j = 2; j < args.size(); j++) {
            int more = args.size() - 1 - j;
            String option = text(args.get(j));
            if (option.equalsIgnoreCase("AUTH") && more >= 2) {
                if (!text(args.get(j + 1)).equals(DEFAULT_USER) || !matches(args.get(j + 2))) {
                    return WRONGPASS;
                }
                authenticates = true;
                j += 2;
            } else if (option.equalsIgnoreCase("SETNAME") && more >= 1) {
                newName = args.get(j + 1);
                Action bad = badName(newName, "Client names");
                if (bad != null) {
                    return bad;
                }
                j++;
            } else {
                return error("Syntax error in HELLO option '" + Resp.quote(args.get(j)) + "'");
            }
        }
        if (!authenticates && mustAuthenticate(session)) {
            return new Action.Reply(Resp.error("NOAUTH", "HELLO must be called with the client already authenticated, "
                    + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
                    + "select the RESP protocol version at the same time"));
        }
        if (authenticates) {
            session.authenticated(true);
        }
        if (newName != null) {
            session.name(text(newName));
        }
        session.protocol(version);
        boolean resp3 = session.resp3();
        return reply(Resp.concat(Resp.mapHeader(7, resp3),
                Resp.bulk("server"), Resp.bulk(SERVER_NAME),
                Resp.bulk("version"), Resp.bulk(VERSION),
                Resp.bulk("proto"), Resp.integer(version),
                Resp.bulk("id"), Resp.integer(session.id()),
                Resp.bulk("mode"), Resp.bulk("standalone"),
                Resp.bulk("role"), Resp.bulk("master"),
                Resp.bulk("modules"), Resp.EMPTY_ARRAY));
    }

    /** {@code CLIENT ID|SETNAME|GETNAME|SETINFO}, with Redis's replies and error texts. */
    private Action client(Session session, List<byte[]> args) {
        String sub = text(args.get(1)).toLowerCase(Locale.ROOT);
        int argc = args.size() - 2;
        return switch (sub) {
            case "id" -> argc != 0 ? arity("client|id", argc, "0") : reply(Resp.integer(session.id()));
            case "getname" -> argc != 0 ? arity("client|getname", argc, "0")
                    : reply(session.name() == null ? Resp.nil(session.resp3()) : Resp.bulk(session.name()));
            case "setname" -> {
                if (argc != 1) {
                    yield arity("client|setname", argc, "1");
                }
                Action bad = badName(args.get(2), "Client names");
                if (bad != null) {
                    yield bad;
                }
                session.name(text(args.get(2)));
                yield reply(Resp.OK);
            }
            case "setinfo" -> {
                if (argc != 2) {
                    yield arity("client|setinfo", argc, "2");
                }
                String attribute = text(args.get(2)).toLowerCase(Locale.ROOT);
                if (!attribute.equals("lib-name") && !attribute.equals("lib-ver")) {
                    yield error("Unrecognized option '" + Resp.quote(args.get(2)) + "'");
                }
                Action bad = badName(args.get(3), Resp.quote(args.get(2)));
                if (bad != null) {
                    yield bad;
                }
                session.library(attribute, text(args.get(3)));
                yield reply(Resp.OK);
            }
            default -> error("unknown subcommand '" + Resp.quote(args.get(1)) + "'. Try CLIENT HELP.");
        };
    }

    /**
     * As Redis checks client names and library attributes (printable ASCII, no spaces), plus netplay's bound on their
     * length ({@link Limits#MAX_CLIENT_NAME_BYTES}); null if {@code value} is good.
     */
    private static Action badName(byte[] value, String what) {
        for (byte b : value) {
            if (b < '!' || b > '~') {
                return error(what + " cannot contain spaces, newlines or special characters.");
            }
        }
        if (value.length > Limits.MAX_CLIENT_NAME_BYTES) {
            return error(what + " must be at most " + Limits.MAX_CLIENT_NAME_BYTES + " bytes (got " + value.length + ")");
        }
        return null;
    }

    /**
     * {@code MEMORY PURGE}: Redis asks its allocator to return memory; here a full collection, so that the next INFO's
     * {@code heap_live_bytes} is the live data alone. The client sends it outside its measured windows. A full
     * collection stops the world, so it is a debug command ({@code --enable-debug-command}, loopback only by default)
     * and runs at most once a second server-wide: callers in between share the last one's result.
     */
    private Action memory(Session session, List<byte[]> args) {
        if (!text(args.get(1)).equalsIgnoreCase("purge")) {
            return error("MEMORY subcommand '" + Resp.quote(args.get(1)) + "' is not supported (expected: PURGE)");
        }
        if (args.size() != 2) {
            return arity("memory|purge", args.size() - 2, "0");
        }
        if (!settings.guards().debugCommands().allows(session.loopback())) {
            return error("MEMORY PURGE is not allowed from this connection: it stops the world; start the server with "
                    + "--enable-debug-command yes (or local, for clients on this machine)");
        }
        stats.purges().get(GcMonitor.get()::collectFully);
        return reply(Resp.OK);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
