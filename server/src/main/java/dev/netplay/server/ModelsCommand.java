package dev.netplay.server;

import dev.netplay.common.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code server models}: every registered model, and whether <em>this</em> JVM can run it, one tab-separated line
 * each under a header. compare reads it from the JVM it runs the servers on, so what runs is decided where it runs.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Lists the server models, tab-separated: name, compared by default (yes/no), why this JVM cannot "
                + "run it (empty: it can), its command line, its summary.")
final class ModelsCommand implements Callable<Integer> {
    /** The header line; its column names are what a reader looks up. */
    static final String HEADER = "name\tcompared\tunavailable\tcommand\tsummary";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(HEADER);
        for (ServerModel model : ServerModels.all()) {
            String reason = model.unavailableReason();
            out.println(String.join("\t", model.name(), model.compared() ? "yes" : "no", clean(reason == null ? "" : reason),
                    String.join(" ", model.serverArgs()), clean(model.summary())));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** A field on one line, without tabs. */
    private static String clean(String text) {
        return text.replaceAll("[\\t\\r\\n]+", " ");
    }
}
