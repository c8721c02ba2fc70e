package io.cloudconnector.common.aws;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the connector reaches AWS ({@code connector.aws.*}).
 *
 * @param region the region every client talks to
 * @param endpoint an endpoint override for every service (the emulator); when absent, {@code AWS_ENDPOINT_URL}
 *     is used if set, else the real AWS endpoints
 * @param accessKeyId static credentials, for the emulator only; when absent the default credentials chain
 *     (environment, profile, container, instance role) is used
 * @param connectTimeout how long opening a connection may take
 * @param callTimeout how long one API call may take, retries included
 * @param callAttemptTimeout how long one attempt of an API call may take
 * @param maxAttempts attempts per call in the SDK's standard retry mode (1 turns SDK retries off, as in tests)
 */
@ConfigurationProperties("connector.aws")
public record AwsProperties(
        @DefaultValue("us-east-1") String region,
        @Nullable URI endpoint,
        @Nullable String accessKeyId,
        @Nullable String secretAccessKey,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("30s") Duration callTimeout,
        @DefaultValue("10s") Duration callAttemptTimeout,
        @DefaultValue("3") int maxAttempts) {

    public AwsProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("connector.aws.max-attempts must be at least 1, was " + maxAttempts);
        }
    }

    /** Defaults plus the given region and endpoint; for tools and tests that run without Spring. */
    public static AwsProperties of(String region, @Nullable URI endpoint) {
        return new AwsProperties(
                region, endpoint, null, null, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(10), 3);
    }

    /** These settings with static credentials (the emulator accepts any). */
    public AwsProperties withStaticCredentials(String keyId, String secret) {
        return new AwsProperties(
                region, endpoint, keyId, secret, connectTimeout, callTimeout, callAttemptTimeout, maxAttempts);
    }

    /** These settings for another region (a connector may manage vaults in several). */
    public AwsProperties withRegion(String otherRegion) {
        return new AwsProperties(
                otherRegion,
                endpoint,
                accessKeyId,
                secretAccessKey,
                connectTimeout,
                callTimeout,
                callAttemptTimeout,
                maxAttempts);
    }

    /**
     * These settings with other call timeouts, for a service whose calls are slow by nature (the
     * emulator creates a whole CloudFormation stack inside CreateStack, for one).
     */
    public AwsProperties withCallTimeouts(Duration attempt, Duration call) {
        return new AwsProperties(
                region, endpoint, accessKeyId, secretAccessKey, connectTimeout, call, attempt, maxAttempts);
    }

    /** These settings with the SDK's retries set to {@code attempts} attempts per call. */
    public AwsProperties withMaxAttempts(int attempts) {
        return new AwsProperties(
                region,
                endpoint,
                accessKeyId,
                secretAccessKey,
                connectTimeout,
                callTimeout,
                callAttemptTimeout,
                attempts);
    }
}
