package dev.netplay.client;

import dev.netplay.common.cli.CliErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code netplay-client run|sweep|report|compare}: the load client, its report, and the one-command comparison. */
@Command(name = "client", mixinStandardHelpOptions = true, version = "netplay 0.1.0",
        description = "Opens many connections to servers that speak the netplay protocol (or Redis), sends slow requests, "
                + "and measures throughput, latency and what the servers cost.",
        subcommands = {RunCommand.class, SweepCommand.class, ReportCommand.class, CompareCommand.class, MergeCommand.class, ProfileCommand.class})
public final class ClientMain implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: run, sweep, report or compare");
    }

    public static void main(String[] args) {
        System.exit(CliErrors.commandLine(new ClientMain()).execute(args));
    }
}
