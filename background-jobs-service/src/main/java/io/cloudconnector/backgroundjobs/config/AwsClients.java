package io.cloudconnector.backgroundjobs.config;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The AWS clients of each region a vault lives in, built alike by the connector's client factory and kept for the
 * life of the service. The EBS client has the SDK's retries off: the engine's EBS source and sink retry block
 * transfers themselves (one retry layer).
 */
public final class AwsClients implements AutoCloseable {

    private final AwsProperties properties;
    private final Map<String, Regional> byRegion = new ConcurrentHashMap<>();

    public AwsClients(AwsProperties properties) {
        this.properties = properties;
    }

    /** The clients of one region. */
    public record Regional(
            Ec2Client ec2, EbsClient ebs, S3Client s3, KmsClient kms, BatchClient batch, DynamoDbClient dynamo) {}

    /** The clients for {@code region}. */
    public Regional in(String region) {
        return byRegion.computeIfAbsent(region, r -> {
            var factory = new AwsClientFactory(properties.withRegion(r));
            var unretried = new AwsClientFactory(properties.withRegion(r).withMaxAttempts(1));
            return new Regional(
                    factory.sync(Ec2Client.builder()),
                    unretried.sync(EbsClient.builder()),
                    factory.s3(),
                    factory.sync(KmsClient.builder()),
                    factory.sync(BatchClient.builder()),
                    factory.sync(DynamoDbClient.builder()));
        });
    }

    /** Whether an endpoint override (the emulator) is configured. */
    public boolean emulated() {
        return new AwsClientFactory(properties).endpoint().isPresent();
    }

    @Override
    public void close() {
        byRegion.values().forEach(c -> {
            for (SdkClient client : new SdkClient[] {c.ec2(), c.ebs(), c.s3(), c.kms(), c.batch(), c.dynamo()}) {
                client.close();
            }
        });
    }
}
