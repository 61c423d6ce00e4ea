package dev.netplay.server;

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
        description = "Runs one netplay server model; every model speaks the same subset of RESP2 (the Redis protocol).",
        subcommands = {NettyCommand.class, ThreadsCommand.class})
public final class ServerMain implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing MODEL: one of " + String.join(", ", spec.subcommands().keySet()));
    }

    /** The command line with a subcommand for every registered model, and the models listed in its help. */
    public static CommandLine commandLine() {
        CommandLine cli = CliErrors.commandLine(new ServerMain());
        for (ServerModel model : ServerModels.withoutOwnCommand()) {
            CommandLine sub = CliErrors.commandLine(new ModelCommand(model));
            sub.getCommandSpec().usageMessage().description(model.summary() + ".");
            cli.addSubcommand(model.name(), sub);
        }
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

    public static void main(String[] args) {
        Fatal.install();
        System.exit(commandLine().execute(args));
    }
}
