package io.cloudconnector.common.testing;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.aws.StackDeployer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

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

    /** Deploys the stack for {@code connectorId}; returns its outputs. */
    public static Map<String, String> deploy(AwsEmulator emulator, String connectorId) {
        try (var cloudFormation = clients(emulator).sync(CloudFormationClient.builder())) {
            return new StackDeployer(cloudFormation, Clock.systemUTC(), Duration.ofMillis(200))
                    .deploy(connectorId, template(), Map.of("ConnectorId", connectorId), Duration.ofMinutes(3));
        }
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
