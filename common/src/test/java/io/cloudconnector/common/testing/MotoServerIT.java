package io.cloudconnector.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

@WithAwsEmulator
class MotoServerIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void resetDropsResourcesButKeepsTheBatchConfiguration(AwsEmulator emulator) throws Exception {
        put(emulator.endpoint().resolve("/reset-probe-bucket"));
        assertThat(get(emulator.endpoint().resolve("/")).body()).contains("reset-probe-bucket");

        emulator.reset();

        assertThat(get(emulator.endpoint().resolve("/")).body()).doesNotContain("reset-probe-bucket");
        assertThat(get(emulator.endpoint().resolve("/moto-api/config")).body()).contains("\"use_docker\": false");
    }

    @Test
    void exportsTheEndpointForTheSdkAndTheConnector(AwsEmulator emulator) {
        assertThat(System.getProperty("connector.aws.endpoint"))
                .isEqualTo(emulator.endpoint().toString());
        assertThat(System.getProperty("aws.region")).isEqualTo(AwsEmulator.REGION);
        assertThat(emulator.endpoint().getHost()).isEqualTo("127.0.0.1");
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", auth())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void put(URI uri) throws Exception {
        var response = http.send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", auth())
                        .PUT(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static String auth() {
        return "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";
    }
}
