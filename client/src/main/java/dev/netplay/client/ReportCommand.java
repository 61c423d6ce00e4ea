package dev.netplay.client;

import dev.netplay.client.report.Report;
import dev.netplay.client.results.ResultsFiles;
import dev.netplay.client.results.RunResult;
import dev.netplay.common.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Draws the charts and report.html from saved results.json files; several runs go into one report.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Result folders (or results.json files) of earlier runs.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the report (default: the first DIR).")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<RunResult> runs = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        for (Path p : inputs) {
            runs.add(ResultsFiles.read(p));
            sources.add(p.toFile().isDirectory() ? p : p.toAbsolutePath().getParent()); // where its .hlog files lie
        }
        Path dir = out != null ? out : (inputs.get(0).toFile().isDirectory() ? inputs.get(0) : inputs.get(0).toAbsolutePath().getParent());
        Path report = Report.write(runs, sources, dir);
        System.out.println("report: " + report.toAbsolutePath());
        return ExitCodes.OK;
    }
}
