package io.cloudconnector.scalez.repo;

import io.cloudconnector.common.testing.AwsEmulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** SDK clients for the emulator: static credentials, its endpoint, path-style S3, no retries. */
public final class EmulatorClients {

    private EmulatorClients() {
    }

    public static KmsClient kms(AwsEmulator emulator) {
        return KmsClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(emulator.region()))
                .credentialsProvider(credentials(emulator))
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build();
    }

    public static DynamoDbClient dynamo(AwsEmulator emulator) {
        return DynamoDbClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(emulator.region()))
                .credentialsProvider(credentials(emulator))
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build();
    }

    public static S3Client s3(AwsEmulator emulator) {
        return S3Client.builder().endpointOverride(emulator.endpoint()).region(Region.of(emulator.region()))
                .credentialsProvider(credentials(emulator)).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build();
    }

    private static StaticCredentialsProvider credentials(AwsEmulator emulator) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey()));
    }
}
