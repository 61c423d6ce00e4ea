package dev.netplay.client;

import dev.netplay.common.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code client merge}'s bad input: a clear message and a usage exit, never a stack trace. */
class MergeCommandTest {
    @TempDir
    Path dir;

    @Test
    void oneDirectoryOrOneWithoutResultsIsAUsageErrorNamingIt() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        LoadOptionsValidationTest.Outcome one = LoadOptionsValidationTest.client("merge", empty.toString(), "--out", dir.toString());
        assertThat(one.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(one.err()).contains("DIR").doesNotContain("Exception");
        LoadOptionsValidationTest.Outcome none = LoadOptionsValidationTest.client("merge", empty.toString(), empty.toString(),
                "--out", dir.resolve("m").toString());
        assertThat(none.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).isEqualTo("error: " + empty + " has no results.json" + System.lineSeparator());
    }
}
