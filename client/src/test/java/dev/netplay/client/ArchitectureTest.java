package dev.netplay.client;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The client's packages depend on each other one way only, and it measures servers from the outside: it checks their
 * replies with the protocol's own rules in common, never with a server's classes.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.netplay.client");

    @Test
    void noPackageCycles() {
        slices().matching("dev.netplay.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theClientUsesNoServerClass() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.netplay.server..").check(MAIN);
    }
}
