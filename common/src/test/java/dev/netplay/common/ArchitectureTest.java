package dev.netplay.common;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * common is the wire: what client and servers share, and nothing of either. Its packages depend on each other one way
 * only ({@code limits} at the bottom, then {@code resp}, then {@code protocol}), so a package can be read and changed
 * without the ones above it.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.netplay.common");

    @Test
    void noPackageCycles() {
        slices().matching("dev.netplay.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void commonKnowsNeitherTheServersNorTheClient() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.netplay.server..", "dev.netplay.client..")
                .check(MAIN);
    }
}
