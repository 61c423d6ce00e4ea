package dev.netplay.client;

import dev.netplay.common.cli.CliErrors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every subcommand's --help renders without a picocli warning (an unescaped '%' in a description makes one). */
class HelpTextTest {
    @Test
    void everySubcommandsHelpRendersWithoutAWarning() {
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        List<String> rendered = new ArrayList<>();
        try {
            System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
            CommandLine root = CliErrors.commandLine(new ClientMain());
            rendered.add(root.getUsageMessage());
            root.getSubcommands().forEach((name, sub) -> rendered.add(sub.getUsageMessage()));
        } finally {
            System.setErr(err);
        }
        assertThat(rendered).hasSizeGreaterThan(3).allSatisfy(usage -> assertThat(usage).contains("Usage:"));
        assertThat(said.toString(StandardCharsets.UTF_8)).as("what picocli said while rendering").doesNotContain("WARN");
    }
}
