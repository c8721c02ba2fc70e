package io.cloudconnector.common.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SDK clients pointed at the emulator: its endpoint and region, its static credentials, and no retries so
 * that an emulator error fails the test at once. Plain AWS SDK, for test code that has neither Spring nor
 * common's main code on its classpath (the engine, infra); tests that have it use
 * {@link ConnectorStack#clients}, the production client factory. The caller closes the client.
 */
public final class EmulatorClients {

    private EmulatorClients() {}

    /** Any service's client, e.g. {@code client(emulator, Ec2Client.builder())}. */
    public static <B extends AwsClientBuilder<B, C>, C> C client(AwsEmulator emulator, B builder) {
        return builder.endpointOverride(emulator.endpoint())
                .region(Region.of(emulator.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey())))
                .overrideConfiguration(config -> config.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** S3 with path-style addressing (the emulator has no per-bucket host names) and checksums only where S3 requires them. */
    public static S3Client s3(AwsEmulator emulator) {
        return client(
                emulator,
                S3Client.builder()
                        .forcePathStyle(true)
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
    }

    /** KMS. */
    public static KmsClient kms(AwsEmulator emulator) {
        return client(emulator, KmsClient.builder());
    }

    /** DynamoDB. */
    public static DynamoDbClient dynamo(AwsEmulator emulator) {
        return client(emulator, DynamoDbClient.builder());
    }
}
