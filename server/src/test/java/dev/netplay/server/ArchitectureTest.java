package dev.netplay.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The server's packages depend on each other one way only (the registry on the models, the models on the core and the
 * backend types, never back), its files stay short, and the servers know nothing of the load client.
 */
class ArchitectureTest {
    private static final int MAX_FILE_LINES = 300;
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.netplay.server");

    @Test
    void noPackageCycles() {
        slices().matching("dev.netplay.(**)").should().beFreeOfCycles().check(MAIN);
    }

    /** A model's room stays readable: a class that grows past this splits by concern (its I/O, its waits, its guards). */
    @Test
    void noMainSourceFileIsLongerThanThreeHundredLines() throws IOException {
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            tooLong = files.filter(f -> f.toString().endsWith(".java")).filter(f -> lines(f) > MAX_FILE_LINES)
                    .map(f -> f + " (" + lines(f) + " lines)").toList();
        }
        assertThat(tooLong).as("main source files over " + MAX_FILE_LINES + " lines").isEmpty();
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theServersKnowNothingOfTheClient() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.netplay.client..").check(MAIN);
    }
}
