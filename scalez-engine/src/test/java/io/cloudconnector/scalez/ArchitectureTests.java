package io.cloudconnector.scalez;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Package rules of the engine: leaves use no sibling, each job (backup, restore, maintenance) uses the shared
 * {@code internal} and {@code model} but no other job, only the {@code repo} facade ties the jobs together, the
 * server and the CLI sit on top, nothing uses the CLI, no cycles, no Spring.
 */
class ArchitectureTests {

    private static final String ROOT = "io.cloudconnector.scalez";
    // The main classes directory only: scanning the whole class path for the package takes ~20 s.
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(java.nio.file.Path.of(ScalezException.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .getPath()));

    /** The storage primitives and formats: the jobs, the facade and the server may use them all. */
    private static final Set<String> FORMATS =
            Set.of("blob", "chunk", "hash", "compress", "crypto", "source", "sink", "pack", "index");

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
            Map.entry("model", Set.of("chunk", "compress", "source")),
            Map.entry("internal", plus(FORMATS, "model")),
            Map.entry("repo.lock", Set.of("blob", "model")),
            Map.entry("backup", plus(FORMATS, "model", "internal")),
            Map.entry("restore", plus(FORMATS, "model", "internal")),
            Map.entry("maintenance", plus(FORMATS, "model", "internal", "repo.lock")),
            Map.entry("remote", plus(FORMATS, "model", "internal")),
            Map.entry(
                    "repo",
                    plus(FORMATS, "model", "internal", "repo.lock", "backup", "restore", "maintenance", "remote")),
            Map.entry("serve", plus(FORMATS, "model", "internal", "repo.lock", "remote", "repo")),
            // The CLI is a client of the public API like any service: everything but internal.
            Map.entry(
                    "cli",
                    plus(
                            FORMATS,
                            "model",
                            "repo.lock",
                            "backup",
                            "restore",
                            "maintenance",
                            "remote",
                            "repo",
                            "serve")));

    private static Set<String> plus(Set<String> base, String... more) {
        return Stream.concat(base.stream(), Stream.of(more)).collect(Collectors.toUnmodifiableSet());
    }

    private static String pkg(String name) {
        return ROOT + "." + name;
    }

    @Test
    void packagesUseOnlyTheSiblingsTheirLayerAllows() {
        for (var entry : ALLOWED.entrySet()) {
            var others = ALLOWED.keySet().stream()
                    .filter(p -> !p.equals(entry.getKey()) && !entry.getValue().contains(p))
                    .map(ArchitectureTests::pkg)
                    .toArray(String[]::new);
            noClasses()
                    .that()
                    .resideInAPackage(pkg(entry.getKey()))
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others)
                    .because(entry.getKey() + " may use only " + entry.getValue())
                    .check(CLASSES);
        }
    }

    @Test
    void everyEnginePackageHasItsRule() {
        var packages = CLASSES.stream()
                .map(c -> c.getPackageName())
                .filter(p -> p.startsWith(ROOT + "."))
                .map(p -> p.substring(ROOT.length() + 1))
                .collect(Collectors.toSet());
        org.assertj.core.api.Assertions.assertThat(ALLOWED.keySet()).containsAll(packages);
    }

    @ParameterizedTest
    @ValueSource(strings = {"backup", "restore", "maintenance"})
    void aJobUsesNoOtherJob(String job) {
        var others = Stream.of("backup", "restore", "maintenance")
                .filter(j -> !j.equals(job))
                .map(ArchitectureTests::pkg)
                .toArray(String[]::new);
        noClasses()
                .that()
                .resideInAPackage(pkg(job))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("jobs share what they need through internal and model, not each other")
                .check(CLASSES);
    }

    @Test
    void nothingUsesTheCliNotEvenTheServer() {
        noClasses()
                .that()
                .resideOutsideOfPackage(pkg("cli.."))
                .should()
                .dependOnClassesThat()
                .resideInAPackage(pkg("cli.."))
                .check(CLASSES);
    }

    @Test
    void thereAreNoPackageCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theEngineUsesNoSpringAndNoCommonModule() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "io.cloudconnector.common..")
                .check(CLASSES);
    }

    @Test
    void theRootPackageUsesNoSubpackage() {
        noClasses()
                .that()
                .resideInAPackage(ROOT)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".(*)..")
                .check(CLASSES);
    }
}
