package io.cloudconnector.scalez.blob;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Where the client {@link S3BlobStore#open} builds should connect: the region and, for S3-compatible
 * servers and the emulator, an endpoint override.
 */
record S3ClientSettings(Region region, Optional<URI> endpointOverride) {

    static final Region FALLBACK_REGION = Region.US_EAST_1;

    /** Reads the process environment and system properties the way the AWS SDK does. */
    static S3ClientSettings fromEnvironment() {
        return resolve(System::getenv, System::getProperty, () -> new DefaultAwsRegionProviderChain().getRegion());
    }

    /**
     * Resolves the settings; a system property wins over the environment variable naming the same setting, as in
     * the AWS SDK, and an S3-specific endpoint over the generic one.
     */
    static S3ClientSettings resolve(
            Function<String, @Nullable String> environment,
            Function<String, @Nullable String> properties,
            Supplier<Region> defaultRegionChain) {
        var region = first(properties.apply("aws.region"), environment.apply("AWS_REGION"))
                .map(Region::of)
                .orElseGet(() -> regionOrFallback(defaultRegionChain));
        var endpoint = first(
                        properties.apply("aws.endpointUrlS3"),
                        environment.apply("AWS_ENDPOINT_URL_S3"),
                        properties.apply("aws.endpointUrl"),
                        environment.apply("AWS_ENDPOINT_URL"))
                .map(URI::create);
        return new S3ClientSettings(region, endpoint);
    }

    private static Region regionOrFallback(Supplier<Region> defaultRegionChain) {
        try {
            return defaultRegionChain.get();
        } catch (SdkClientException e) {
            // No profile and no instance metadata, e.g. a laptop talking to an S3-compatible server.
            return FALLBACK_REGION;
        }
    }

    private static Optional<String> first(@Nullable String... candidates) {
        for (var candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return Optional.of(candidate.strip());
            }
        }
        return Optional.empty();
    }
}
