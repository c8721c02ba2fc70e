package io.cloudconnector.common.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

class AwsClientFactoryTests {

    private final AwsProperties properties = new AwsProperties(
            "eu-central-1",
            URI.create("http://127.0.0.1:4566"),
            "key",
            "secret",
            Duration.ofSeconds(1),
            Duration.ofSeconds(20),
            Duration.ofSeconds(7),
            4);

    @Test
    void everyClientGetsTheRegionEndpointAndTimeouts() {
        var factory = new AwsClientFactory(properties);
        try (var dynamo = factory.sync(DynamoDbClient.builder());
                var sqs = factory.async(SqsAsyncClient.builder())) {
            for (var config : new software.amazon.awssdk.awscore.AwsServiceClientConfiguration[] {
                dynamo.serviceClientConfiguration(), sqs.serviceClientConfiguration()
            }) {
                assertThat(config.region().id()).isEqualTo("eu-central-1");
                assertThat(config.endpointOverride()).contains(URI.create("http://127.0.0.1:4566"));
                assertThat(config.overrideConfiguration().apiCallTimeout()).contains(Duration.ofSeconds(20));
                assertThat(config.overrideConfiguration().apiCallAttemptTimeout())
                        .contains(Duration.ofSeconds(7));
                assertThat(config.overrideConfiguration()
                                .retryStrategy()
                                .orElseThrow()
                                .maxAttempts())
                        .isEqualTo(4);
            }
        }
    }

    @Test
    void oneAttemptTurnsSdkRetriesOff() {
        try (var dynamo = new AwsClientFactory(properties.withMaxAttempts(1)).sync(DynamoDbClient.builder())) {
            assertThat(dynamo.serviceClientConfiguration()
                            .overrideConfiguration()
                            .retryStrategy()
                            .orElseThrow()
                            .maxAttempts())
                    .isEqualTo(1);
        }
    }

    @Test
    void s3UsesPathStyleBehindAnEndpointOverride() {
        try (var s3 = new AwsClientFactory(properties).s3()) {
            var url = s3.utilities().getUrl(b -> b.bucket("vault-bucket").key("config"));
            assertThat(url.toString()).isEqualTo("http://127.0.0.1:4566/vault-bucket/config");
        }
    }

    @Test
    void refusesZeroAttempts() {
        assertThatThrownBy(() -> properties.withMaxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connector.aws.max-attempts");
    }
}
