package dev.netplay.client;

import dev.netplay.client.merge.RunMerge;
import dev.netplay.client.report.Report;
import dev.netplay.client.results.RunResult;
import dev.netplay.client.results.SummaryTable;
import dev.netplay.common.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merges several hosts' runs against the same servers into one results directory: per target and "
                + "level, the hosts' interval histograms added (percentiles from the sum, never averaged), throughput, "
                + "connections and errors summed, each host's share kept; then draws its report.",
                "Start the hosts together with --start-at and name them with --host-id (docs/DISTRIBUTED.md)."})
final class MergeCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "DIR", description = "Each host's result folder (or results.json).")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the merged results and report.")
    Path out;

    @Option(names = "--no-report", description = "Write results.json, results.csv and the .hlog files only.")
    boolean noReport;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        List<RunMerge.Host> hosts = RunMerge.read(inputs);
        List<String> args = new ArrayList<>(List.of("client", "merge"));
        inputs.forEach(p -> args.add(p.toString()));
        args.addAll(List.of("--out", out.toString()));
        RunResult merged = RunMerge.merge(hosts, out, String.join(" ", args));
        System.out.print(dev.netplay.common.cli.TerminalText.safe(SummaryTable.render(merged)));
        System.out.print(dev.netplay.common.cli.TerminalText.safe(SummaryTable.renderHosts(merged)));
        System.out.printf("merged %d hosts in %.1f s: %s%n", hosts.size(), (System.nanoTime() - start) / 1e9,
                out.resolve(dev.netplay.client.results.ResultsFiles.JSON));
        if (!noReport) {
            System.out.println("report: " + Report.write(List.of(merged), List.of(out), out).toAbsolutePath());
        }
        return ExitCodes.OK;
    }
}
