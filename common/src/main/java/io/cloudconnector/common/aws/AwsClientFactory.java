package io.cloudconnector.common.aws;

import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds every AWS SDK client of a service the same way: one region, one credentials provider, the
 * endpoint override (the emulator) if any, connect and call timeouts, and the SDK's standard retry
 * strategy with a configurable bound (exponential backoff with jitter; off in tests).
 *
 * <pre>{@code DynamoDbClient dynamo = factory.sync(DynamoDbClient.builder());}</pre>
 */
public final class AwsClientFactory {

    private final AwsProperties properties;
    private final AwsCredentialsProvider credentials;
    private final @Nullable URI endpoint;

    public AwsClientFactory(AwsProperties properties) {
        this.properties = properties;
        this.credentials = credentialsFor(properties);
        this.endpoint = endpointFor(properties);
    }

    /** The region clients talk to. */
    public Region region() {
        return Region.of(properties.region());
    }

    /** The endpoint override in force, if any. */
    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** A synchronous client from {@code builder}, with the connector's settings and an Apache HTTP client. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C sync(B builder) {
        builder.httpClientBuilder(ApacheHttpClient.builder()
                .connectionTimeout(properties.connectTimeout())
                .socketTimeout(properties.callAttemptTimeout()));
        return configure(builder).build();
    }

    /** An asynchronous client from {@code builder}, with the connector's settings and a Netty HTTP client. */
    public <B extends AwsClientBuilder<B, C> & AwsAsyncClientBuilder<B, C>, C> C async(B builder) {
        builder.httpClientBuilder(NettyNioAsyncHttpClient.builder()
                .connectionTimeout(properties.connectTimeout())
                .readTimeout(properties.callAttemptTimeout()));
        return configure(builder).build();
    }

    /** An S3 client; path-style addressing when an endpoint override is set (the emulator has no DNS per bucket). */
    public S3Client s3() {
        var builder = S3Client.builder().forcePathStyle(endpoint != null);
        return sync(builder);
    }

    private <B extends AwsClientBuilder<B, C>, C> B configure(B builder) {
        builder.region(region()).credentialsProvider(credentials);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.overrideConfiguration(overrides());
    }

    private ClientOverrideConfiguration overrides() {
        var retry = properties.maxAttempts() == 1
                ? AwsRetryStrategy.doNotRetry()
                : AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(properties.maxAttempts())
                        .build();
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(properties.callTimeout())
                .apiCallAttemptTimeout(properties.callAttemptTimeout())
                .retryStrategy(retry)
                .build();
    }

    private static AwsCredentialsProvider credentialsFor(AwsProperties properties) {
        if (properties.accessKeyId() != null && !properties.accessKeyId().isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    properties.accessKeyId(),
                    Optional.ofNullable(properties.secretAccessKey()).orElse("")));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static @Nullable URI endpointFor(AwsProperties properties) {
        if (properties.endpoint() != null) {
            return properties.endpoint();
        }
        var fromEnvironment = System.getenv("AWS_ENDPOINT_URL");
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : URI.create(fromEnvironment.strip());
    }
}
