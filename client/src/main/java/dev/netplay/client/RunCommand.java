package dev.netplay.client;

import dev.netplay.client.load.LoadOptions;
import dev.netplay.client.load.LoadRunner;
import dev.netplay.client.load.Progress;
import dev.netplay.common.cli.ExitCodes;
import dev.netplay.common.cli.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Measures one connection level.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    LoadOptions load;

    @Option(names = "--connections", converter = Units.CountConverter.class,
            description = "Concurrent connections (default: ${DEFAULT-VALUE}).")
    int connections = 1000;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return execute(load, List.of(connections), spec);
    }

    static int execute(LoadOptions load, List<Integer> levels, CommandSpec spec) throws Exception {
        String commandLine = "scripts/client " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        LoadRunner runner = new LoadRunner(load.toPlan(levels, commandLine), System.out, Progress.forConsole(System.err));
        try {
            runner.checkReachable();
        } catch (LoadRunner.TargetUnreachableException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        runner.run();
        return ExitCodes.OK;
    }
}
