package io.cloudconnector.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import io.cloudconnector.common.security.PublicEndpoint;
import io.cloudconnector.common.security.RequiresScope;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/** The module and package rules of docs/architecture.md (Modules, ScaleZ), checked on the production classes of every module. */
class ArchitectureTests {

    private static final List<String> SERVICES =
            List.of("catalog", "provisioner", "jobstatus", "backgroundjobs", "integrity", "inventory");
    /** Independent building blocks: they import no other engine package. */
    private static final List<String> ENGINE_PRIMITIVES = List.of("chunk", "hash", "compress", "crypto", "blob");

    private static final List<String> ENGINE_PACKAGES = List.of(
            "chunk",
            "hash",
            "compress",
            "crypto",
            "blob",
            "pack",
            "index",
            "source",
            "sink",
            "model",
            "internal",
            "repo.lock",
            "backup",
            "restore",
            "maintenance",
            "remote",
            "repo",
            "serve",
            "cli");

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.cloudconnector");
    }

    @ParameterizedTest
    @ValueSource(strings = {"catalog", "provisioner", "jobstatus", "backgroundjobs", "integrity", "inventory"})
    void noServiceDependsOnAnotherService(String service) {
        String[] others = SERVICES.stream()
                .filter(s -> !s.equals(service))
                .map(s -> "io.cloudconnector." + s + "..")
                .toArray(String[]::new);
        noClasses()
                .that()
                .resideInAPackage("io.cloudconnector." + service + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("services talk only through messages whose records live in common")
                .check(classes);
    }

    @Test
    void theEngineUsesNeitherSpringNorCommonNorAService() {
        noClasses()
                .that()
                .resideInAPackage("io.cloudconnector.scalez..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        concat(List.of("org.springframework..", "io.cloudconnector.common.."), servicePackages()))
                .because("ScaleZ is a plain library (docs/architecture.md, Modules)")
                .check(classes);
    }

    @Test
    void vaultAccessUsesNoService() {
        noClasses()
                .that()
                .resideInAPackage("io.cloudconnector.vaultaccess..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(servicePackages().toArray(String[]::new))
                .because("vault-access is what the services share to open a vault's repository")
                .check(classes);
    }

    @Test
    void filesystemsUsesNoService() {
        noClasses()
                .that()
                .resideInAPackage("io.cloudconnector.filesystems..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(servicePackages().toArray(String[]::new))
                .because("integrity's scans and background-jobs' file browsing share the file-system readers")
                .check(classes);
    }

    @Test
    void commonDependsOnNoServiceAndNotOnTheEngine() {
        noClasses()
                .that()
                .resideInAPackage("io.cloudconnector.common..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(List.of("io.cloudconnector.scalez.."), servicePackages()))
                .check(classes);
    }

    @Test
    void enginePrimitivesImportNoSiblings() {
        for (String leaf : ENGINE_PRIMITIVES) {
            String[] siblings = ENGINE_PACKAGES.stream()
                    .filter(s -> !s.equals(leaf))
                    .map(s -> "io.cloudconnector.scalez." + s + "..")
                    .toArray(String[]::new);
            noClasses()
                    .that()
                    .resideInAPackage("io.cloudconnector.scalez." + leaf + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(siblings)
                    .allowEmptyShould(true)
                    .because("the engine's primitives are independent leaves (docs/architecture.md, ScaleZ)")
                    .check(classes);
        }
    }

    @Test
    void onlyRepoTiesTheEngineTogether() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("cli")
                .definedBy("io.cloudconnector.scalez.cli..")
                .layer("serve")
                .definedBy("io.cloudconnector.scalez.serve..")
                .layer("repo")
                .definedBy("io.cloudconnector.scalez.repo")
                .layer("jobs")
                .definedBy(
                        "io.cloudconnector.scalez.backup..",
                        "io.cloudconnector.scalez.restore..",
                        "io.cloudconnector.scalez.maintenance..",
                        "io.cloudconnector.scalez.remote..")
                .layer("locks")
                .definedBy("io.cloudconnector.scalez.repo.lock..")
                .layer("internal")
                .definedBy("io.cloudconnector.scalez.internal..")
                .layer("model")
                .definedBy("io.cloudconnector.scalez.model..")
                .layer("formats")
                .definedBy(
                        "io.cloudconnector.scalez.pack..",
                        "io.cloudconnector.scalez.index..",
                        "io.cloudconnector.scalez.source..",
                        "io.cloudconnector.scalez.sink..")
                .layer("primitives")
                .definedBy(ENGINE_PRIMITIVES.stream()
                        .map(s -> "io.cloudconnector.scalez." + s + "..")
                        .toArray(String[]::new))
                .whereLayer("cli")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("serve")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("repo")
                .mayOnlyBeAccessedByLayers("serve", "cli")
                .whereLayer("jobs")
                .mayOnlyBeAccessedByLayers("repo", "serve", "cli")
                .whereLayer("locks")
                .mayOnlyBeAccessedByLayers("jobs", "repo", "serve", "cli")
                .whereLayer("internal")
                .mayOnlyBeAccessedByLayers("jobs", "repo", "serve")
                .whereLayer("model")
                .mayOnlyBeAccessedByLayers("internal", "locks", "jobs", "repo", "serve", "cli")
                .whereLayer("formats")
                .mayOnlyBeAccessedByLayers("model", "internal", "jobs", "repo", "serve", "cli")
                .withOptionalLayers(true)
                .because(
                        "repo is the only package that ties the jobs together (docs/architecture.md, ScaleZ); serve and cli sit on it")
                .check(classes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"backup", "restore", "maintenance"})
    void engineJobsUseNoOtherJob(String job) {
        String[] others = List.of("backup", "restore", "maintenance").stream()
                .filter(j -> !j.equals(job))
                .map(j -> "io.cloudconnector.scalez." + j + "..")
                .toArray(String[]::new);
        noClasses()
                .that()
                .resideInAPackage("io.cloudconnector.scalez." + job + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .allowEmptyShould(true)
                .because("the engine's jobs share what they need through internal and model")
                .check(classes);
    }

    @Test
    void onlyTheEngineUsesItsInternals() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.cloudconnector.scalez..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.cloudconnector.scalez.internal..", "io.cloudconnector.scalez..internal..")
                .because("scalez.internal is public only for the engine's own packages")
                .check(classes);
    }

    @Test
    void noEnginePackageUsesTheCli() {
        noClasses()
                .that()
                .resideInAPackage("io.cloudconnector.scalez..")
                .and()
                .resideOutsideOfPackage("io.cloudconnector.scalez.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.cloudconnector.scalez.cli..")
                .because("the CLI is an entry point on top of the engine (background-jobs runs it as `scalez ...`)")
                .check(classes);
    }

    /**
     * Every operation of every service names the scope a token needs for it ({@code @RequiresScope}, on the method
     * or its controller); the few served without a token say why ({@code @PublicEndpoint}).
     */
    @Test
    void everyEndpointDeclaresTheScopeItNeeds() {
        ArchRuleDefinition.methods()
                .that()
                .areMetaAnnotatedWith(RequestMapping.class)
                .and()
                .areDeclaredInClassesThat()
                .areMetaAnnotatedWith(Controller.class)
                .and()
                .areDeclaredInClassesThat()
                // The error dispatch renders refusals (of requests with or without a token) as problem JSON.
                .doNotImplement(org.springframework.boot.webmvc.error.ErrorController.class)
                .should(new ArchCondition<JavaMethod>("declare a scope (@RequiresScope) or be a @PublicEndpoint") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        boolean scoped = method.isAnnotatedWith(RequiresScope.class)
                                || method.getOwner().isAnnotatedWith(RequiresScope.class)
                                || method.isAnnotatedWith(PublicEndpoint.class);
                        if (!scoped) {
                            events.add(
                                    SimpleConditionEvent.violated(method, method.getFullName() + " declares no scope"));
                        }
                    }
                })
                .because("a request-mapping method without a scope lets any valid token call it (docs/api.md)")
                .check(classes);

        // Not vacuous: the endpoints of every service (and common's diagnostics) are among those checked.
        var owners = classes.stream()
                .filter(c -> c.isMetaAnnotatedWith(Controller.class))
                .filter(c -> c.getMethods().stream().anyMatch(m -> m.isMetaAnnotatedWith(RequestMapping.class)))
                .map(JavaClass::getPackageName)
                .toList();
        for (String service : concat(SERVICES, List.of("common"))) {
            org.assertj.core.api.Assertions.assertThat(owners)
                    .as("controllers of " + service)
                    .anyMatch(p -> p.startsWith("io.cloudconnector." + service + "."));
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.cloudconnector.(**)").should().beFreeOfCycles().check(classes);
    }

    private static List<String> servicePackages() {
        return SERVICES.stream().map(s -> "io.cloudconnector." + s + "..").toList();
    }

    private static String[] concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toArray(String[]::new);
    }
}
