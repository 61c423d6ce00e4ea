package dev.netplay.server;

import dev.netplay.server.cli.ModelCli;
import dev.netplay.server.core.Fatal;
import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;
import dev.netplay.server.netty.NettyCommand;
import dev.netplay.server.threads.ThreadsCommand;

import dev.netplay.common.cli.CliErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code netplay-server MODEL [options]}: runs one server model until SIGTERM or Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true, version = "netplay 0.1.0",
        description = "Runs one netplay server model; every model speaks the same subset of the Redis protocol (RESP2 and RESP3).",
        subcommands = {NettyCommand.class, ThreadsCommand.class, ModelsCommand.class})
public final class ServerMain implements Runnable {
    /** The subcommands that take their own options; a registered model's command line starts with one of them. */
    static final List<String> MODEL_COMMANDS = List.of("netty", "threads");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing MODEL: one of " + String.join(", ", ServerModels.names())
                + " (or models, to list them)");
    }

    /**
     * The server {@code args} (a model's command line: a subcommand and its own options, e.g. {@code netty --transport
     * nio}) would run, with the common options taken from {@code config}; not started. The registry's factories build
     * their servers here, through the same code as the command line.
     */
    public static Server create(List<String> args, ServerConfig config) throws Exception {
        CommandLine.ParseResult parsed = parser().parseArgs(args.toArray(new String[0]));
        CommandLine.ParseResult sub = parsed.subcommand();
        if (sub == null || !(sub.commandSpec().userObject() instanceof ModelCli model)) {
            throw new IllegalArgumentException("'" + String.join(" ", args) + "' does not name a server model's command "
                    + "(expected one of: " + String.join(", ", MODEL_COMMANDS) + ", or a registered model's name)");
        }
        return model.build(config);
    }

    /** The subcommands, without the help's list of models (which asks each model whether it can run here). */
    private static CommandLine parser() {
        CommandLine cli = CliErrors.commandLine(new ServerMain());
        for (ServerModel model : ServerModels.withoutOwnCommand()) {
            CommandLine sub = CliErrors.commandLine(new ModelCommand(model));
            sub.getCommandSpec().usageMessage().description(model.summary() + ".");
            cli.addSubcommand(model.name(), sub);
        }
        return cli;
    }

    /** The command line with a subcommand for every registered model, and the models listed in its help. */
    public static CommandLine commandLine() {
        CommandLine cli = parser();
        List<String> footer = new ArrayList<>();
        footer.add("%nModels (scripts/compare --models takes these names):");
        for (ServerModel model : ServerModels.all()) {
            String reason = model.unavailableReason();
            footer.add(String.format(Locale.ROOT, "  %-17s %s%s", model.name(), String.join(" ", model.serverArgs()),
                    reason == null ? "" : "  (unavailable here: " + reason + ")"));
        }
        cli.getCommandSpec().usageMessage().footer(footer.toArray(new String[0]));
        return cli;
    }

    /** Netty's leak detector, as a user sets it; unset, netplay's servers run without it (see {@link #main}). */
    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

    public static void main(String[] args) {
        Fatal.install();
        // Netty's default samples about one buffer in 128 and records a stack trace for each: in a profile of the PING
        // path that is ~1.5% of the server's CPU that redis-server does not pay. The tests hunt leaks with PARANOID;
        // -Dio.netty.leakDetection.level=simple brings the sampling back here.
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(commandLine().execute(args));
    }
}
