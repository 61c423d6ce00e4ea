package dev.netplay.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** scripts/server's --help and every subcommand's render without a picocli warning (an unescaped '%' makes one). */
@Isolated // it reads System.err, which the other tests write to
class HelpTextTest {
    @Test
    void everySubcommandsHelpRendersWithoutAWarning() {
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        List<String> rendered = new ArrayList<>();
        try {
            System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
            CommandLine root = ServerMain.commandLine();
            rendered.add(root.getUsageMessage());
            root.getSubcommands().forEach((name, sub) -> rendered.add(sub.getUsageMessage()));
        } finally {
            System.setErr(err);
        }
        assertThat(rendered).hasSizeGreaterThan(3).allSatisfy(usage -> assertThat(usage).contains("Usage:"));
        assertThat(said.toString(StandardCharsets.UTF_8)).as("what picocli said while rendering").doesNotContain("WARN");
    }
}
