package io.cloudconnector.e2e.local;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.aws.StackDeployer;
import io.cloudconnector.common.aws.StackSpec;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.vault.VaultResources;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * {@code ./connector deploy}: creates or updates one of the three stacks through the CloudFormation API,
 * waits, and prints its outputs; {@code --dry-run} prints the change set instead.
 */
@Command(name = "deploy", description = "Create or update the account, connector or vault stack.")
final class DeployCommand implements Callable<Integer> {

    /** The three templates under infra/cloudformation. */
    enum StackKind {
        ACCOUNT,
        CONNECTOR,
        VAULT;

        String template() {
            return name().toLowerCase(Locale.ROOT) + ".yaml";
        }
    }

    static final List<String> SUPPORTED_REGIONS =
            List.of("us-east-1", "us-east-2", "us-west-2", "eu-central-1", "ap-southeast-2");

    @Option(names = "--stack", required = true, description = "account, connector or vault.")
    String stack;

    @Option(
            names = "--region",
            required = true,
            description = "One of " + "us-east-1, us-east-2, us-west-2, " + "eu-central-1, ap-southeast-2.")
    String region;

    @Option(names = "--param", description = "A template parameter, KEY=VALUE (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--endpoint", description = "An AWS endpoint override (the emulator); default: real AWS.")
    @Nullable
    URI endpoint;

    @Option(names = "--dry-run", description = "Show the change set; deploy nothing.")
    boolean dryRun;

    @Option(
            names = "--stack-name",
            description = "Override the stack name (default: cloudconnector-account, "
                    + "<ConnectorId>, or <ConnectorId>-<VaultId>).")
    @Nullable
    String stackName;

    @Option(names = "--role-arn", description = "The role CloudFormation acts as (the installer role).")
    @Nullable
    String roleArn;

    @Option(
            names = "--template-bucket",
            description = "An S3 bucket to upload templates above 51,200 bytes to; with --stack connector and VpcId,"
                    + " also the pinned vault.yaml the catalog creates vaults from (VaultTemplateUrl).")
    @Nullable
    String templateBucket;

    @Option(
            names = "--templates",
            defaultValue = "infra/cloudformation",
            description = "Where the templates are (default: ${DEFAULT-VALUE}).")
    Path templates;

    @Option(names = "--outputs", description = "Also write the stack outputs to this file (JSON).")
    @Nullable
    Path outputs;

    @Option(names = "--timeout", defaultValue = "30m", description = "How long to wait (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() throws Exception {
        var out = command.commandLine().getOut();
        StackKind kind = parseKind(stack);
        if (!SUPPORTED_REGIONS.contains(region)) {
            throw new IllegalArgumentException(
                    "--region " + region + " is not supported; use one of " + String.join(", ", SUPPORTED_REGIONS));
        }
        Path template = templates.resolve(kind.template());
        String body = Files.readString(template);
        String name = stackName != null ? stackName : defaultStackName(kind, params);
        var clients = new AwsClientFactory(
                endpoint == null
                        ? AwsProperties.of(region, null)
                        : AwsProperties.of(region, endpoint).withStaticCredentials("test", "test"));
        String bucket = templateBucket;
        if (kind == StackKind.CONNECTOR
                && bucket != null
                && params.containsKey("VpcId")
                && !params.containsKey("VaultTemplateUrl")) {
            params.put("VaultTemplateUrl", publishVaultTemplate(clients, bucket));
        }
        StackSpec spec = templateSpec(clients, name, body).withRole(roleArn);
        Duration wait = TokenCommand.parseDuration(timeout);
        try (var cloudFormation = clients.sync(CloudFormationClient.builder())) {
            var deployer = new StackDeployer(
                    cloudFormation, Clock.systemUTC(), Duration.ofMillis(endpoint == null ? 5000 : 250));
            if (dryRun) {
                List<String> changes = deployer.preview(spec, wait);
                out.printf(
                        "Stack %s (%s, %s): %s%n",
                        name, kind.template(), region, changes.isEmpty() ? "no changes" : changes.size() + " changes");
                changes.forEach(change -> out.println("  " + change));
                out.flush();
                return 0;
            }
            long started = System.nanoTime();
            Map<String, String> result = deployer.deploy(spec, wait);
            out.printf(
                    "Stack %s (%s) deployed in %.1f s; outputs:%n",
                    name, kind.template(), (System.nanoTime() - started) / 1e9);
            result.forEach((key, value) -> out.printf("  %-36s %s%n", key, value));
            out.flush();
            if (outputs != null) {
                Files.writeString(
                        outputs,
                        EventCodec.standardMapper()
                                .writerWithDefaultPrettyPrinter()
                                .writeValueAsString(result));
            }
        }
        return 0;
    }

    private StackSpec templateSpec(AwsClientFactory clients, String name, String body) throws Exception {
        StackSpec spec = StackSpec.inline(name, body, params);
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        if (size <= StackSpec.MAX_INLINE_TEMPLATE_BYTES) {
            return spec;
        }
        if (templateBucket == null) {
            if (endpoint != null) {
                return spec; // the emulator takes any size inline
            }
            throw new IllegalArgumentException(String.format(
                    "%s is %,d bytes, above CloudFormation's %,d-byte inline limit: pass --template-bucket BUCKET",
                    name, size, StackSpec.MAX_INLINE_TEMPLATE_BYTES));
        }
        String digest = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
        String key = "cloudconnector/templates/" + name + "-" + digest + ".yaml";
        try (var s3 = clients.s3()) {
            s3.putObject(b -> b.bucket(templateBucket).key(key), RequestBody.fromString(body));
            return spec.withTemplateUrl(s3.utilities()
                    .getUrl(b -> b.bucket(templateBucket).key(key))
                    .toString());
        }
    }

    /**
     * Uploads vault.yaml to the template bucket under its own digest, a pinned and versioned location: the catalog's
     * role may create and update vault stacks only from this URL (connector.yaml's {@code VaultTemplateUrl}).
     */
    private String publishVaultTemplate(AwsClientFactory clients, String bucket) throws Exception {
        String body = Files.readString(templates.resolve(StackKind.VAULT.template()));
        String digest = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
        String key = "cloudconnector/templates/vault/" + digest + "/vault.yaml";
        try (var s3 = clients.s3()) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
            return s3.utilities().getUrl(b -> b.bucket(bucket).key(key)).toString();
        }
    }

    static StackKind parseKind(String text) {
        try {
            return StackKind.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--stack must be account, connector or vault, not '" + text + "'");
        }
    }

    static String defaultStackName(StackKind kind, Map<String, String> params) {
        return switch (kind) {
            case ACCOUNT -> "cloudconnector-account";
            case CONNECTOR -> required(params, "ConnectorId", kind);
            case VAULT ->
                new VaultResources(required(params, "ConnectorId", kind), required(params, "VaultId", kind))
                        .stackName();
        };
    }

    private static String required(Map<String, String> params, String key, StackKind kind) {
        String value = params.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "the " + kind.name().toLowerCase(Locale.ROOT) + " stack needs --param " + key + "=...");
        }
        return value;
    }
}
