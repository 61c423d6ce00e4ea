package dev.netplay.client;

import dev.netplay.common.cli.CliErrors;
import dev.netplay.server.testing.HelpText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;

/** Every subcommand's --help renders without a picocli warning (an unescaped '%' in a description makes one). */
@Isolated // it reads System.err, which a load run beside it would write to
class HelpTextTest {
    @Test
    void everySubcommandsHelpRendersWithoutAWarning() {
        HelpText help = HelpText.of(CliErrors.commandLine(new ClientMain()));
        assertThat(help.usages()).hasSizeGreaterThan(3).allSatisfy(usage -> assertThat(usage).contains("Usage:"));
        assertThat(help.said()).as("what picocli said while rendering").doesNotContain("WARN");
    }
}
