package dev.netplay.common.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/** One place that turns a failure into a one-line message and an exit code, for every netplay CLI. */
public final class CliErrors {
    private CliErrors() {
    }

    /** A command line with netplay's handlers: usage errors print one line and the usage hint; failures one line. */
    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof CommandLine.ParameterException
                    || (ex instanceof IllegalArgumentException && !(ex instanceof NumberFormatException))) {
                // Validation that picocli cannot express: still a usage error, found before anything started. A
                // NumberFormatException is not: options are parsed by picocli, so one thrown later is a failure mid-run.
                err.println("error: " + ex.getMessage());
                return ExitCodes.USAGE;
            }
            err.println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return ExitCodes.FAILED;
        });
        return cli;
    }
}
