package io.cloudconnector.scalez.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

class S3BlobStoreClientSettingsTests {

    private static final Supplier<Region> NO_DEFAULT_REGION = () -> {
        throw SdkClientException.create("Unable to load region from any of the providers in the chain");
    };

    @Test
    void withNothingConfiguredTheRegionFallsBackToUsEast1AndTheEndpointIsAws() {
        var settings = S3ClientSettings.resolve(
                Map.<String, String>of()::get, Map.<String, String>of()::get, NO_DEFAULT_REGION);

        assertThat(settings.region()).isEqualTo(Region.US_EAST_1);
        assertThat(settings.endpointOverride()).isEmpty();
    }

    @Test
    void theDefaultChainAnswersWhenNeitherVariableNorPropertyIsSet() {
        var settings = S3ClientSettings.resolve(
                Map.<String, String>of()::get, Map.<String, String>of()::get, () -> Region.AP_SOUTHEAST_2);

        assertThat(settings.region()).isEqualTo(Region.AP_SOUTHEAST_2);
    }

    @Test
    void theEnvironmentNamesRegionAndEndpoint() {
        var environment = Map.of("AWS_REGION", "eu-central-1", "AWS_ENDPOINT_URL", "http://127.0.0.1:5000");

        var settings = S3ClientSettings.resolve(environment::get, Map.<String, String>of()::get, NO_DEFAULT_REGION);

        assertThat(settings.region()).isEqualTo(Region.EU_CENTRAL_1);
        assertThat(settings.endpointOverride()).contains(URI.create("http://127.0.0.1:5000"));
    }

    @Test
    void aSystemPropertyWinsOverTheEnvironmentAndAnS3EndpointOverTheGenericOne() {
        var environment = Map.of(
                "AWS_REGION",
                "eu-central-1",
                "AWS_ENDPOINT_URL",
                "http://env:1",
                "AWS_ENDPOINT_URL_S3",
                "http://env-s3:2");
        var properties = Map.of("aws.region", "eu-west-3", "aws.endpointUrl", "http://property:3", "aws.region.x", "");

        var settings = S3ClientSettings.resolve(environment::get, properties::get, NO_DEFAULT_REGION);

        assertThat(settings.region()).isEqualTo(Region.EU_WEST_3);
        assertThat(settings.endpointOverride()).contains(URI.create("http://env-s3:2"));
    }

    @Test
    void blankValuesCountAsUnset() {
        var environment = Map.of("AWS_REGION", " ", "AWS_ENDPOINT_URL", "");

        var settings = S3ClientSettings.resolve(environment::get, Map.<String, String>of()::get, NO_DEFAULT_REGION);

        assertThat(settings.region()).isEqualTo(Region.US_EAST_1);
        assertThat(settings.endpointOverride()).isEmpty();
    }

    @Test
    void theBuiltClientTimesOutAndLeavesRetryingToRetryingBlobStore() {
        var options = S3BlobStore.Options.defaults();
        var settings = new S3ClientSettings(Region.EU_WEST_1, Optional.of(URI.create("http://127.0.0.1:9")));

        try (var client = S3BlobStore.buildClient(settings, options)) {
            var configuration = client.serviceClientConfiguration();
            assertThat(configuration.region()).isEqualTo(Region.EU_WEST_1);
            assertThat(configuration.endpointOverride()).contains(URI.create("http://127.0.0.1:9"));
            assertThat(configuration.overrideConfiguration().apiCallTimeout()).contains(options.callTimeout());
            assertThat(configuration.overrideConfiguration().apiCallAttemptTimeout())
                    .contains(options.attemptTimeout());
            assertThat(configuration.overrideConfiguration().retryStrategy())
                    .hasValueSatisfying(
                            strategy -> assertThat(strategy.maxAttempts()).isEqualTo(1));
        }
    }

    @Test
    void openRejectsAnythingButAnS3Uri() {
        assertThatThrownBy(() -> S3BlobStore.open(URI.create("file:///var/repo")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3BlobStore.open(URI.create("s3:///no-bucket")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void multipartOptionsBelowS3sMinimumPartSizeAreRejected() {
        assertThatThrownBy(() -> S3BlobStore.Options.defaults().withMultipart(1 << 20, 1 << 20, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
