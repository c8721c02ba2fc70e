package io.cloudconnector.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.cloudconnector.infra.IamRequests.IamRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Least privilege, proven by evaluation: every AWS call the services, workers, scanners and ScaleZ servers made
 * during the modules' tests (recorded by the common test-jar's {@code AwsCallRecorder} into each module's
 * {@code target/aws-calls/}) is mapped to its IAM action, resource ARN and request context ({@link IamRequests})
 * and evaluated against the role it runs under in the rendered templates ({@link IamModel}): identity policies,
 * the permissions boundary, and the vault's bucket and key policies, by {@code @cloud-copilot/iam-simulate}
 * ({@code infra/iam-eval/}, installed by {@code ./connector test}).
 *
 * <p>It runs in infra because the reactor builds infra after every module whose tests record calls (common,
 * scalez-engine, vault-access and the six services), so one evaluation covers their union; e2e-tests, after
 * infra, starts the services as processes, whose calls are not recorded. A module built alone evaluates the
 * recordings its last build left. Which role a call runs under: the module's service's task role, except for
 * code that runs in a vault's Batch job (the job runner: {@code WorkerJobRole}; a scan: {@code ScannerJobRole})
 * or in a ScaleZ server ({@code ScalezServerTaskRole}). Library modules' own tests (common, scalez-engine,
 * vault-access) exercise code each service also runs in its own tests; their calls are counted, not attributed.
 */
class IamEvaluationTests {

    private static final String CONNECTOR_ID = "cc-test";

    /** A service module's own package: a call with none of its classes on the stack is library code the tests call. */
    private static final Map<String, String> MODULE_PACKAGES = Map.of(
            "catalog-service", "io.cloudconnector.catalog.",
            "provisioner-service", "io.cloudconnector.provisioner.",
            "jobstatus-service", "io.cloudconnector.jobstatus.",
            "background-jobs-service", "io.cloudconnector.backgroundjobs.",
            "integrity-service", "io.cloudconnector.integrity.",
            "inventory-service", "io.cloudconnector.inventory.");

    /** The service whose tests a module's are, and its task role. */
    private static final Map<String, String> MODULE_ROLES = Map.of(
            "catalog-service", "CatalogTaskRole",
            "provisioner-service", "ProvisionerTaskRole",
            "jobstatus-service", "JobstatusTaskRole",
            "background-jobs-service", "BackgroundJobsTaskRole",
            "integrity-service", "IntegrityTaskRole",
            "inventory-service", "InventoryTaskRole");

    /** Code that runs in a vault stack's role wherever it is tested: class (or package) prefix to role. */
    private static final Map<String, String> VAULT_ROLE_CODE = new LinkedHashMap<>(Map.of(
            "io.cloudconnector.scalez.serve.ScalezServer", "ScalezServerTaskRole",
            "io.cloudconnector.backgroundjobs.job.JobRunner", "WorkerJobRole",
            "io.cloudconnector.backgroundjobs.job.JobContext", "WorkerJobRole",
            "io.cloudconnector.integrity.scan.ScanExecution", "ScannerJobRole",
            // The scanner job's entry point and its reader: a local scan runs them in the service, AWS in the job.
            "io.cloudconnector.integrity.scan.ScanWorker", "ScannerJobRole",
            "io.cloudconnector.integrity.scan.RecoveryPointScanner", "ScannerJobRole",
            // Snapshots are taken by the backup, which runs in the worker job (tests also call it directly).
            "io.cloudconnector.backgroundjobs.ebs.AwsSnapshotTaker", "WorkerJobRole"));

    /**
     * Code that runs only against the local stack, never under a role in AWS: the stand-in for EventBridge
     * Scheduler, which sends the ticks to the inbox itself ({@code connector.policies.scheduler=local}).
     */
    private static final List<String> LOCAL_ONLY_CODE =
            List.of("io.cloudconnector.backgroundjobs.policy.LocalPolicyScheduler");

    /** The service task roles and the vault's job and server roles: none may destroy or leak backup data. */
    static final List<String> SERVICE_ROLES = List.of(
            "CatalogTaskRole",
            "ProvisionerTaskRole",
            "JobstatusTaskRole",
            "BackgroundJobsTaskRole",
            "IntegrityTaskRole",
            "InventoryTaskRole",
            "WorkerJobRole",
            "ScannerJobRole",
            "ScalezServerTaskRole");

    private static final String EVIDENCE_VAULT = IamRequests.ANY_VAULT;

    private static final List<RecordedCall> CALLS = new ArrayList<>();
    private static final List<String> MODULES = new ArrayList<>();
    private static IamModel model;
    private static Evaluation recorded;
    private static Evaluation destructive;

    /** A request evaluated for a role, with where it came from. */
    record Case(String role, String vaultId, IamRequest request, String origin) {}

    /** The evaluator's answer for each case, by index. */
    record Evaluation(List<Case> cases, List<Map<String, Object>> results) {

        List<String> decided(String result) {
            var out = new ArrayList<String>();
            for (int i = 0; i < cases.size(); i++) {
                if (result.equals(results.get(i).get("result"))) {
                    out.add(describe(i));
                }
            }
            return out;
        }

        List<String> notAllowed() {
            var out = new ArrayList<String>();
            for (int i = 0; i < cases.size(); i++) {
                if (!"Allowed".equals(results.get(i).get("result"))) {
                    out.add(describe(i));
                }
            }
            return out;
        }

        String describe(int i) {
            var c = cases.get(i);
            var r = results.get(i);
            return r.get("result") + ": " + c.role() + " " + c.request().action() + " on "
                    + c.request().resource()
                    + (c.request().context().isEmpty() ? "" : " " + c.request().context())
                    + (r.get("errors") != null ? " errors " + r.get("errors") : "")
                    + (r.get("denies") instanceof List<?> d && !d.isEmpty() ? " denied by " + d : "")
                    + "\n      from " + c.origin();
        }
    }

    @BeforeAll
    static void evaluate() throws Exception {
        model = new IamModel(CONNECTOR_ID);
        var root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        CALLS.addAll(RecordedCall.load(root, MODULES));
        var mapper = new IamRequests(model);
        var cases = new LinkedHashMap<String, Case>();
        for (var call : CALLS) {
            var role = roleOf(call);
            if (role == null) {
                continue;
            }
            for (var request : mapper.map(call)) {
                var vault = request.vaultId() != null ? request.vaultId() : EVIDENCE_VAULT;
                var key = role + "|" + request.action() + "|" + request.resource() + "|" + request.context();
                cases.putIfAbsent(key, new Case(role, vault, request, call.toString()));
            }
        }
        recorded = run(new ArrayList<>(cases.values()));
        report();
        destructive = run(destructiveCases());
    }

    /**
     * The role a recorded call runs under, or null for a library module's own tests, emulator-only code and an
     * installer's work (a test deploying a stack through common's StackDeployer, as ./connector deploy does).
     */
    static String roleOf(RecordedCall call) {
        if (emulatorOnly(call) || installerWork(call) || librarySetup(call) || libraryFixture(call)) {
            return null;
        }
        for (var code : VAULT_ROLE_CODE.entrySet()) {
            if (call.calledFrom(code.getKey())) {
                return code.getValue();
            }
        }
        return MODULE_ROLES.get(call.module());
    }

    /**
     * Code that stands in for what the emulator does not do (the {@code Emulator*Shim} classes, which the services
     * call only against an emulator: in AWS the templates do it), so never runs under a role.
     */
    static boolean emulatorOnly(RecordedCall call) {
        return call.callers().stream()
                        .map(c -> c.substring(c.lastIndexOf('.') + 1))
                        .anyMatch(c -> c.startsWith("Emulator") && c.endsWith("Shim"))
                || LOCAL_ONLY_CODE.stream().anyMatch(call::calledFrom);
    }

    /**
     * A library module's own test of vault code (a ScaleZ server in the engine's tests) on a bucket that is not a
     * vault's: a fixture. In AWS that code only ever touches its vault's bucket ({@code <connector>-vlt-<id>}).
     */
    static boolean libraryFixture(RecordedCall call) {
        return !MODULE_ROLES.containsKey(call.module())
                && call.service().equals("S3")
                && call.field("Bucket") != null
                && IamRequests.vaultOf(call.field("Bucket")) == null;
    }

    /** Prints the figures and every denied call and unused permission, and writes them to target/. */
    private static void report() throws IOException {
        var denied = recorded.notAllowed();
        var unused = unusedPermissions(recorded);
        var attributed = CALLS.stream().filter(c -> roleOf(c) != null).count();
        var report = new StringBuilder()
                .append("IAM evaluation of the recorded AWS calls (templates: ")
                .append(Template.directory())
                .append("; modules with recordings: ")
                .append(MODULES)
                .append(")\n")
                .append("  calls recorded (distinct shapes): ")
                .append(CALLS.size())
                .append(", attributed to a role: ")
                .append(attributed)
                .append(" (the rest: library modules' own tests, ")
                .append(CALLS.stream().filter(IamEvaluationTests::emulatorOnly).count())
                .append(" of emulator-only shims, ")
                .append(CALLS.stream().filter(IamEvaluationTests::installerWork).count())
                .append(" stack deployments by test setup, ")
                .append(CALLS.stream().filter(IamEvaluationTests::librarySetup).count())
                .append(" library calls without a service class on the stack)\n")
                .append("  requests evaluated (distinct role, action, resource, context): ")
                .append(recorded.cases().size())
                .append("\n  denied: ")
                .append(denied.size())
                .append("\n  permissions granted that no recorded call used: ")
                .append(unused.values().stream().mapToInt(Set::size).sum())
                .append('\n');
        denied.forEach(d -> report.append("  DENIED ").append(d).append('\n'));
        unused.forEach((role, grants) -> grants.forEach(grant -> report.append("  unused ")
                .append(role)
                .append(' ')
                .append(grant)
                .append('\n')));
        var text = report.toString();
        System.out.println(text);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "iam-evaluation.txt"), text);
    }

    /**
     * In a service module, a call made by library code (common, the engine, vault-access) with no class of the
     * service on the stack: the tests' own setup (seeding a snapshot, a repository), or an engine thread the stack
     * does not lead back from. Counted, not attributed: the same library calls made on the service's behalf are.
     */
    static boolean librarySetup(RecordedCall call) {
        var own = MODULE_PACKAGES.get(call.module());
        return own != null
                && !call.callers().isEmpty()
                && call.callers().stream().noneMatch(c -> c.startsWith(own));
    }

    /** A stack deployed by test code directly (no service's class on the stack): what an installer does. */
    static boolean installerWork(RecordedCall call) {
        return call.callers().equals(List.of("io.cloudconnector.common.aws.StackDeployer"));
    }

    @Test
    void everyRecordedCallIsAllowedForItsRole() {
        var denied = recorded.notAllowed();
        assertThat(MODULES)
                .as("recordings under <module>/target/aws-calls: run the modules' tests first (the reactor does)")
                .isNotEmpty();
        assertThat(recorded.cases()).as("requests evaluated").isNotEmpty();
        assertThat(denied)
                .as("recorded calls their role would deny (see target/iam-evaluation.txt)")
                .isEmpty();
    }

    /**
     * Destroying or leaking a vault: deleting object versions, replacing its lifecycle or bucket policy, its key's
     * policy, scheduling the key's deletion. No role a service runs under may; nor the installer role, which the
     * catalog passes to CloudFormation (it creates buckets with their lifecycle and policy, and keys with theirs,
     * from the pinned template only, see below). No service role may assume the break-glass role, which may.
     */
    @Test
    void noServiceRoleMayDestroyAVault() {
        assertThat(destructive.decided("Error")).as("evaluator errors").isEmpty();
        var wrong = new ArrayList<String>();
        for (int i = 0; i < destructive.cases().size(); i++) {
            var expected = destructive.cases().get(i).origin();
            var allowed = "Allowed".equals(destructive.results().get(i).get("result"));
            if (allowed != expected.startsWith("allowed")) {
                wrong.add(destructive.describe(i));
            }
        }
        System.out.println("IAM evaluation of the destructive cases: "
                + destructive.cases().size() + " evaluated, "
                + destructive.decided("Allowed").size() + " allowed (break-glass and pinned-template cases only)");
        assertThat(wrong)
                .as("destructive and escalation cases decided otherwise than expected")
                .isEmpty();
        assertThat(destructive.cases()).hasSizeGreaterThan(SERVICE_ROLES.size() * DESTRUCTIVE.size());
    }

    private record Destructive(String action, boolean onKey, boolean onObject) {}

    private static final List<Destructive> DESTRUCTIVE = List.of(
            new Destructive("s3:DeleteObjectVersion", false, true),
            new Destructive("s3:PutLifecycleConfiguration", false, false),
            new Destructive("s3:PutBucketPolicy", false, false),
            new Destructive("kms:PutKeyPolicy", true, false),
            new Destructive("kms:ScheduleKeyDeletion", true, false));

    private static Case destructive(String role, Destructive d, String expectation) {
        var vault = model.vault(EVIDENCE_VAULT);
        var resource =
                d.onKey() ? vault.keyArn() : d.onObject() ? vault.bucketArn() + "/index/0a1b2c" : vault.bucketArn();
        Map<String, Object> context = d.onKey()
                ? Map.of(
                        "kms:ResourceAliases",
                        List.of("alias/cloudconnector/" + CONNECTOR_ID + "/" + EVIDENCE_VAULT),
                        "kms:CallerAccount",
                        IamModel.ACCOUNT_ID)
                : Map.of("aws:SecureTransport", "true");
        return new Case(
                role, EVIDENCE_VAULT, new IamRequest(d.action(), resource, context, EVIDENCE_VAULT), expectation);
    }

    private static List<Case> destructiveCases() {
        var cases = new ArrayList<Case>();
        var breakGlass = model.role("BreakGlassRole").arn();
        for (var role : SERVICE_ROLES) {
            for (var d : DESTRUCTIVE) {
                cases.add(destructive(role, d, "denied: a service role destroys a vault"));
            }
            cases.add(new Case(
                    role,
                    EVIDENCE_VAULT,
                    new IamRequest("sts:AssumeRole", breakGlass, Map.of(), null),
                    "denied: a service role assumes the break-glass role"));
        }
        for (var d : List.of(DESTRUCTIVE.get(0), DESTRUCTIVE.get(3), DESTRUCTIVE.get(4))) {
            cases.add(destructive("InstallerRole", d, "denied: the role the catalog passes destroys a vault"));
        }
        // The break-glass role may; scheduling a key's deletion needs its key policy replaced first.
        for (var d : DESTRUCTIVE.subList(0, 4)) {
            cases.add(destructive("BreakGlassRole", d, "allowed: break-glass"));
        }
        cases.add(destructive("BreakGlassRole", DESTRUCTIVE.get(4), "denied: the key policy grants nobody deletion"));
        // The catalog creates and updates vault stacks only from the pinned template, as the installer role.
        var stack = "arn:aws:cloudformation:" + IamModel.REGION + ":" + IamModel.ACCOUNT_ID + ":stack/" + CONNECTOR_ID
                + "-vlt-01evaluation/0f0e0d0c";
        for (var action : List.of("cloudformation:CreateStack", "cloudformation:UpdateStack")) {
            cases.add(new Case(
                    "CatalogTaskRole",
                    EVIDENCE_VAULT,
                    new IamRequest(
                            action, stack, Map.of("cloudformation:TemplateUrl", IamModel.VAULT_TEMPLATE_URL), null),
                    "allowed: the pinned vault template"));
            cases.add(new Case(
                    "CatalogTaskRole",
                    EVIDENCE_VAULT,
                    new IamRequest(
                            action,
                            stack,
                            Map.of(
                                    "cloudformation:TemplateUrl",
                                    "https://s3.amazonaws.com/attacker/cloud-connector/test/vault.yaml"),
                            null),
                    "denied: another template URL"));
            cases.add(new Case(
                    "CatalogTaskRole",
                    EVIDENCE_VAULT,
                    new IamRequest(action, stack, Map.of(), null),
                    "denied: an inline template (or UsePreviousTemplate)"));
        }
        cases.add(new Case(
                "CatalogTaskRole",
                EVIDENCE_VAULT,
                new IamRequest(
                        "iam:PassRole",
                        model.role("InstallerRole").arn(),
                        Map.of("iam:PassedToService", "cloudformation.amazonaws.com"),
                        null),
                "allowed: the installer role to CloudFormation"));
        cases.add(new Case(
                "CatalogTaskRole",
                EVIDENCE_VAULT,
                new IamRequest(
                        "iam:PassRole",
                        breakGlass,
                        Map.of("iam:PassedToService", "cloudformation.amazonaws.com"),
                        null),
                "denied: the break-glass role to CloudFormation"));
        return cases;
    }

    /** Per role, the statements' actions (Sid: action) that no allowed request matched. */
    static Map<String, Set<String>> unusedPermissions(Evaluation evaluation) {
        var used = new LinkedHashSet<String>();
        for (int i = 0; i < evaluation.cases().size(); i++) {
            var result = evaluation.results().get(i);
            if (!"Allowed".equals(result.get("result"))) {
                continue;
            }
            var role = evaluation.cases().get(i).role();
            for (var allow : Template.list(result.get("allows"))) {
                var map = Template.asMap(allow);
                for (var action : Template.list(map.get("actions"))) {
                    used.add(role + "|" + map.get("sid") + "|" + action);
                }
            }
        }
        var unused = new TreeMap<String, Set<String>>();
        var roles = evaluation.cases().stream().map(Case::role).collect(Collectors.toCollection(TreeSet::new));
        for (var roleName : roles) {
            var role = role(roleName, EVIDENCE_VAULT);
            for (var policy : role.identityPolicies().values()) {
                for (var statement : Template.list(Template.asMap(policy).get("Statement"))) {
                    var s = Template.asMap(statement);
                    if (!"Allow".equals(s.get("Effect"))) {
                        continue;
                    }
                    for (var action : Template.list(s.get("Action"))) {
                        if (!used.contains(roleName + "|" + s.get("Sid") + "|" + action)) {
                            unused.computeIfAbsent(roleName, r -> new TreeSet<>())
                                    .add(s.get("Sid") + ": " + action);
                        }
                    }
                }
            }
        }
        return unused;
    }

    private static IamModel.Role role(String name, String vaultId) {
        return model.connectorRoles().containsKey(name) ? model.role(name) : model.vaultRole(vaultId, name);
    }

    /** Builds the evaluator's input for each case, runs it once, and reads its answers. */
    private static Evaluation run(List<Case> cases) throws IOException, InterruptedException {
        var simulations = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < cases.size(); i++) {
            simulations.add(Map.of("id", String.valueOf(i), "simulation", simulation(cases.get(i))));
        }
        var dir = Files.createDirectories(Path.of("target", "iam-eval"));
        var in = dir.resolve("requests-" + System.nanoTime() + ".json").toAbsolutePath();
        var out = dir.resolve("results-" + System.nanoTime() + ".json").toAbsolutePath();
        Files.writeString(in, json(simulations));
        var evaluator = Path.of(System.getProperty("basedir", "."), "iam-eval").toAbsolutePath();
        if (!Files.isDirectory(evaluator.resolve("node_modules/@cloud-copilot/iam-simulate"))) {
            fail("@cloud-copilot/iam-simulate is not installed in " + evaluator
                    + ": run ./connector test (it installs it), or npm ci --prefix infra/iam-eval");
        }
        var process = new ProcessBuilder("node", "evaluate.mjs", in.toString(), out.toString())
                .directory(evaluator.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("node.log").toFile())
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            fail("node evaluate.mjs failed: " + Files.readString(dir.resolve("node.log")));
        }
        @SuppressWarnings("unchecked")
        var results = (List<Map<String, Object>>)
                new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(out));
        return new Evaluation(cases, results);
    }

    private static Map<String, Object> simulation(Case c) {
        var role = role(c.role(), c.vaultId());
        var request = c.request();
        var context = new LinkedHashMap<String, Object>();
        context.put("aws:PrincipalArn", role.arn());
        context.put("aws:PrincipalAccount", IamModel.ACCOUNT_ID);
        context.put("aws:RequestedRegion", IamModel.REGION);
        role.tags().forEach((k, v) -> context.put("aws:PrincipalTag/" + k, v));
        request.context().forEach((k, v) -> context.put(k, v instanceof List<?> ? v : String.valueOf(v)));
        var identity = new ArrayList<Map<String, Object>>();
        role.identityPolicies().forEach((name, policy) -> identity.add(Map.of("name", name, "policy", policy)));
        var simulation = new LinkedHashMap<String, Object>();
        simulation.put(
                "request",
                Map.of(
                        "principal", role.arn(),
                        "action", request.action(),
                        "resource", Map.of("resource", request.resource(), "accountId", IamModel.ACCOUNT_ID),
                        "contextVariables", context));
        simulation.put("identityPolicies", identity);
        simulation.put("serviceControlPolicies", List.of());
        simulation.put("resourceControlPolicies", List.of());
        if (role.boundary() != null) {
            simulation.put(
                    "permissionBoundaryPolicies",
                    List.of(Map.of("name", "PermissionsBoundary", "policy", role.boundary())));
        }
        if (request.vaultId() != null) {
            var vault = model.vault(request.vaultId());
            if (request.action().startsWith("kms:") && request.resource().equals(vault.keyArn())) {
                simulation.put("resourcePolicy", vault.keyPolicy());
            } else if (request.action().startsWith("s3:") && request.resource().startsWith(vault.bucketArn())) {
                simulation.put("resourcePolicy", vault.bucketPolicy());
            }
        }
        return simulation;
    }

    /** JSON of maps, lists and strings (the simulations). */
    static String json(Object value) {
        var out = new StringBuilder();
        json(value, out);
        return out.toString();
    }

    private static void json(Object value, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (var entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                json(String.valueOf(entry.getKey()), out);
                out.append(':');
                json(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                json(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof Boolean || value instanceof Number) {
            out.append(value);
        } else {
            out.append('"');
            var text = String.valueOf(value);
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                switch (ch) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    default -> {
                        if (ch < 0x20) {
                            out.append(String.format("\\u%04x", (int) ch));
                        } else {
                            out.append(ch);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
