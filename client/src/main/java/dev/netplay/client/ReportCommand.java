package dev.netplay.client;

import dev.netplay.common.cli.ExitCodes;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true, description = "Draws charts and report.html from saved results.")
final class ReportCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return ExitCodes.FAILED;
    }
}
