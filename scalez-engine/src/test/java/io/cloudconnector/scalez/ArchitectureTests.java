package io.cloudconnector.scalez;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Package rules of the engine: leaves use no sibling, the middle layers only what is listed, no cycles, no Spring. */
class ArchitectureTests {

    private static final String ROOT = "io.cloudconnector.scalez";
    // The main classes directory only: scanning the whole class path for the package takes ~20 s.
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(java.nio.file.Path.of(ScalezException.class.getProtectionDomain().getCodeSource().getLocation().getPath()));

    /** Which sibling packages each package may use (the root package, with ScalezException, is open to all). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("blob", Set.of()),
            Map.entry("chunk", Set.of()),
            Map.entry("hash", Set.of()),
            Map.entry("compress", Set.of()),
            Map.entry("crypto", Set.of()),
            Map.entry("source", Set.of()),
            Map.entry("sink", Set.of("source")),
            Map.entry("pack", Set.of("hash", "compress")),
            Map.entry("index", Set.of("hash", "compress", "pack")),
            Map.entry("repo", Set.of("blob", "chunk", "hash", "compress", "crypto", "source", "sink", "pack", "index")),
            Map.entry("cli", Set.of("blob", "crypto", "source", "repo")));

    @Test
    void packagesUseOnlyTheSiblingsTheirLayerAllows() {
        for (var entry : ALLOWED.entrySet()) {
            var others = ALLOWED.keySet().stream()
                    .filter(p -> !p.equals(entry.getKey()) && !entry.getValue().contains(p))
                    .map(p -> ROOT + "." + p + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage(ROOT + "." + entry.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because(entry.getKey() + " may use only " + entry.getValue())
                    .check(CLASSES);
        }
    }

    @Test
    void thereAreNoPackageCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theEngineUsesNoSpringAndNoCommonModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "io.cloudconnector.common..")
                .check(CLASSES);
    }

    @Test
    void theRootPackageUsesNoSubpackage() {
        noClasses().that().resideInAPackage(ROOT).should().dependOnClassesThat().resideInAnyPackage(ROOT + ".(*)..")
                .check(CLASSES);
    }
}
