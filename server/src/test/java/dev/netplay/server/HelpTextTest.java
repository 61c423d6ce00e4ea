package dev.netplay.server;

import dev.netplay.server.testing.HelpText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;

/** scripts/server's --help and every subcommand's render without a picocli warning (an unescaped '%' makes one). */
@Isolated // it reads System.err, which the other tests write to
class HelpTextTest {
    @Test
    void everySubcommandsHelpRendersWithoutAWarning() {
        HelpText help = HelpText.of(ServerMain.commandLine());
        assertThat(help.usages()).hasSizeGreaterThan(3).allSatisfy(usage -> assertThat(usage).contains("Usage:"));
        assertThat(help.said()).as("what picocli said while rendering").doesNotContain("WARN");
    }
}
