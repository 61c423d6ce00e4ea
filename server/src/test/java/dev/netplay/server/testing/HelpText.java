package dev.netplay.server.testing;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A command line's usage and each subcommand's, rendered, with what picocli said on stderr meanwhile (its warnings). */
public record HelpText(List<String> usages, String said) {
    public static HelpText of(CommandLine root) {
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        List<String> usages = new ArrayList<>();
        try {
            System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
            usages.add(root.getUsageMessage());
            root.getSubcommands().forEach((name, sub) -> usages.add(sub.getUsageMessage()));
        } finally {
            System.setErr(err);
        }
        return new HelpText(usages, said.toString(StandardCharsets.UTF_8));
    }
}
