package io.cloudconnector.common.testing;

import java.net.URI;

/**
 * What a test needs to reach the emulator: its endpoint, the region and the static credentials it
 * accepts (moto accepts any; these are fixed so that nothing probes IMDS).
 */
public record AwsEmulator(URI endpoint, String region, String accessKeyId, String secretAccessKey) {

    /** The region every test uses. */
    public static final String REGION = "us-east-1";

    /** The account id moto reports. */
    public static final String ACCOUNT_ID = "123456789012";

    static AwsEmulator of(MotoServer server) {
        return new AwsEmulator(server.endpoint(), REGION, "test", "test");
    }

    /** The shared emulator, started on first use; for tests that cannot take a parameter. */
    public static AwsEmulator shared() {
        return of(MotoServer.shared());
    }

    /** Drops every emulated resource. */
    public void reset() {
        MotoServer.shared().reset();
    }

    /**
     * Sets the system properties the AWS SDK's default providers and the connector's
     * {@code connector.aws.*} configuration read, so that code under test needs no extra wiring.
     */
    public void exportSystemProperties() {
        System.setProperty("aws.region", region);
        System.setProperty("aws.accessKeyId", accessKeyId);
        System.setProperty("aws.secretAccessKey", secretAccessKey);
        System.setProperty("aws.endpointUrl", endpoint.toString());
        System.setProperty("connector.aws.endpoint", endpoint.toString());
        System.setProperty("connector.aws.region", region);
        System.setProperty("connector.aws.max-attempts", "1");
    }
}
