package dev.netplay.client;

import dev.netplay.client.load.LoadOptions;
import dev.netplay.common.cli.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Measures several connection levels, ramping up in place from one to the next.")
final class SweepCommand implements Callable<Integer> {
    @Mixin
    LoadOptions load;

    @Option(names = "--connections", split = ",", paramLabel = "N",
            description = "The levels, increasing (default: 100,1000,5000,10000); units accepted: 1k,5k.")
    List<String> connections = new ArrayList<>(List.of("100", "1000", "5000", "10000"));

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Integer> levels = new ArrayList<>();
        for (String c : connections) {
            levels.add((int) Math.min(Integer.MAX_VALUE, Units.parseCount(c)));
        }
        return RunCommand.execute(load, levels, spec);
    }
}
