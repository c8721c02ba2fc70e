package io.cloudconnector.e2e.local;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.aws.StackDeployer;
import io.cloudconnector.common.event.EventCodec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/** Deploys (creates or updates) the connector stack into the emulator and saves its outputs. */
@Command(name = "deploy", description = "Create or update the connector stack and write its outputs as JSON.")
final class DeployCommand implements Callable<Integer> {

    @Option(names = "--endpoint", required = true, description = "The AWS endpoint (the emulator).")
    URI endpoint;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Region (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--connector-id", required = true, description = "The connector id; also the stack name.")
    String connectorId;

    @Option(names = "--template", required = true, description = "infra/cloudformation/connector.yaml")
    Path template;

    @Option(names = "--outputs", required = true, description = "Where to write the stack outputs (JSON).")
    Path outputs;

    @Override
    public Integer call() throws Exception {
        var clients = new AwsClientFactory(AwsProperties.of(region, endpoint).withStaticCredentials("test", "test")
                .withMaxAttempts(3));
        try (var cloudFormation = clients.sync(CloudFormationClient.builder())) {
            long started = System.nanoTime();
            Map<String, String> result = new StackDeployer(cloudFormation, Clock.systemUTC(), Duration.ofMillis(250))
                    .deploy(connectorId, template, Map.of("ConnectorId", connectorId), Duration.ofMinutes(5));
            Files.writeString(outputs, EventCodec.standardMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(result));
            System.out.printf("Stack %s deployed in %.1f s: bus %s, %d tables, %d inboxes%n", connectorId,
                    (System.nanoTime() - started) / 1e9, result.get("EventBusName"),
                    result.keySet().stream().filter(k -> k.endsWith("TableName")).count(),
                    result.keySet().stream().filter(k -> k.endsWith("InboxQueueUrl")).count());
        }
        return 0;
    }
}
