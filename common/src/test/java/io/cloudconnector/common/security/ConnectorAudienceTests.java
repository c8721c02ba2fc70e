package io.cloudconnector.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectorAudienceTests {

    @Test
    void theAudienceIsAccountRegionAndConnectorId() {
        assertThat(ConnectorAudience.of("123456789012", "eu-west-1", "cc-prod"))
                .isEqualTo("123456789012:eu-west-1:cc-prod");
    }

    @Test
    void aConfiguredAccountWinsOverTheCallerIdentityAndAConfiguredAudienceOverBoth() {
        assertThat(ConnectorAudience.resolve(null, "111111111111", () -> "222222222222", "us-east-1", "cc-a"))
                .isEqualTo("111111111111:us-east-1:cc-a");
        assertThat(ConnectorAudience.resolve(" ", null, () -> "222222222222", "us-east-1", "cc-a"))
                .isEqualTo("222222222222:us-east-1:cc-a");
        assertThat(ConnectorAudience.resolve(
                        "custom",
                        null,
                        () -> {
                            throw new AssertionError("STS is not asked when the audience is configured");
                        },
                        "us-east-1",
                        "cc-a"))
                .isEqualTo("custom");
    }

    @Test
    void anAccountIdHasTwelveDigits() {
        assertThatThrownBy(() -> ConnectorAudience.of("12345", "us-east-1", "cc-a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12 digits");
    }
}
