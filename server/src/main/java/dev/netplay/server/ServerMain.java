package dev.netplay.server;

import dev.netplay.common.cli.CliErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code netplay-server netty|threads [options]}: runs one server model until SIGTERM or Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true, version = "netplay 0.1.0",
        description = "Runs one netplay server model; both speak the same subset of RESP2 (the Redis protocol).",
        subcommands = {NettyCommand.class, ThreadsCommand.class})
public final class ServerMain implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing MODEL: netty or threads");
    }

    public static void main(String[] args) {
        Fatal.install();
        System.exit(CliErrors.commandLine(new ServerMain()).execute(args));
    }
}
