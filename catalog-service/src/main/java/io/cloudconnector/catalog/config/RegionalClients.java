package io.cloudconnector.catalog.config;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * AWS clients for each region a vault lives in, built alike by the connector's client factory and kept
 * for the life of the service.
 */
public final class RegionalClients implements DisposableBean {

    /** CloudFormation answers fast in AWS, but the emulator builds the whole stack inside CreateStack. */
    private static final java.time.Duration STACK_CALL_TIMEOUT = java.time.Duration.ofMinutes(2);

    private final AwsProperties properties;
    private final Map<String, Clients> byRegion = new ConcurrentHashMap<>();

    public RegionalClients(AwsProperties properties) {
        this.properties = properties;
    }

    /** The clients of one region. */
    public record Clients(
            Ec2Client ec2, CloudFormationClient cloudFormation, S3Client s3, KmsClient kms, DynamoDbClient dynamo) {}

    /** Whether the clients talk to an emulator (an endpoint override), which local-mode shims need to know. */
    public boolean emulated() {
        return new AwsClientFactory(properties).endpoint().isPresent();
    }

    /** The clients for {@code region}. */
    public Clients in(String region) {
        return byRegion.computeIfAbsent(region, r -> {
            var factory = new AwsClientFactory(properties.withRegion(r));
            var slow = new AwsClientFactory(properties
                    .withRegion(r)
                    .withCallTimeouts(STACK_CALL_TIMEOUT, STACK_CALL_TIMEOUT.multipliedBy(properties.maxAttempts())));
            return new Clients(
                    factory.sync(Ec2Client.builder()),
                    slow.sync(CloudFormationClient.builder()),
                    factory.s3(),
                    factory.sync(KmsClient.builder()),
                    factory.sync(DynamoDbClient.builder()));
        });
    }

    @Override
    public void destroy() {
        byRegion.values().forEach(c -> {
            for (SdkClient client : new SdkClient[] {c.ec2(), c.cloudFormation(), c.s3(), c.kms(), c.dynamo()}) {
                client.close();
            }
        });
    }
}
