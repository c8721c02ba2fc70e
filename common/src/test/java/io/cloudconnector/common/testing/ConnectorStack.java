package io.cloudconnector.common.testing;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.aws.StackDeployer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Deploys the production connector template ({@code infra/cloudformation/connector.yaml}) into the
 * emulator, giving a test the same bus, rules, inboxes and tables a real connector has.
 */
public final class ConnectorStack {

    private ConnectorStack() {}

    /** Deploys the stack for {@link TestTokens#CONNECTOR_ID}; returns its outputs. */
    public static Map<String, String> deploy(AwsEmulator emulator) {
        return deploy(emulator, TestTokens.CONNECTOR_ID);
    }

    /**
     * Where the installer publishes the connector's own copy of vault.yaml, pinned (the version in the path), as
     * connector.yaml's {@code VaultTemplateUrl}: the only template the catalog's role may create vault stacks from.
     * The emulator's CloudFormation reads {@code https://s3.amazonaws.com/<bucket>/<key>} from its own S3.
     */
    public static final String VAULT_TEMPLATE_URL =
            "https://s3.amazonaws.com/" + TestTokens.CONNECTOR_ID + "-templates/cloud-connector/test/vault.yaml";

    /**
     * Deploys the stack for {@code connectorId}; returns its outputs. Also publishes vault.yaml at
     * {@link #VAULT_TEMPLATE_URL}, as an installation does, and points {@code connector.vaults.template-url} at it.
     */
    public static Map<String, String> deploy(AwsEmulator emulator, String connectorId) {
        try (var cloudFormation = clients(emulator).sync(CloudFormationClient.builder())) {
            var outputs = new StackDeployer(cloudFormation, Clock.systemUTC(), Duration.ofMillis(200))
                    .deploy(connectorId, template(), Map.of("ConnectorId", connectorId), Duration.ofMinutes(3));
            publishVaultTemplate(emulator);
            return outputs;
        }
    }

    private static void publishVaultTemplate(AwsEmulator emulator) {
        var path = VAULT_TEMPLATE_URL.substring("https://s3.amazonaws.com/".length());
        var bucket = path.substring(0, path.indexOf('/'));
        var key = path.substring(path.indexOf('/') + 1);
        try (S3Client s3 = EmulatorClients.s3(emulator)) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(b -> b.bucket(bucket));
            }
            s3.putObject(
                    b -> b.bucket(bucket).key(key),
                    RequestBody.fromFile(template().resolveSibling("vault.yaml")));
        }
        System.setProperty("connector.vaults.template-url", VAULT_TEMPLATE_URL);
    }

    /** A client factory for the emulator with static credentials and SDK retries off. */
    public static AwsClientFactory clients(AwsEmulator emulator) {
        return new AwsClientFactory(AwsProperties.of(emulator.region(), emulator.endpoint())
                .withStaticCredentials(emulator.accessKeyId(), emulator.secretAccessKey())
                .withMaxAttempts(1));
    }

    /** The connector template, found from the working directory of any module of the repository. */
    public static Path template() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("infra/cloudformation/connector.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("infra/cloudformation/connector.yaml not found above "
                + Path.of("").toAbsolutePath());
    }
}
