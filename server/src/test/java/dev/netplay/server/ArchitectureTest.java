package dev.netplay.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The server's packages depend on each other one way only, and the servers know nothing of the load client. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.netplay.server");

    @Test
    void noPackageCycles() {
        slices().matching("dev.netplay.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theServersKnowNothingOfTheClient() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.netplay.client..").check(MAIN);
    }
}
