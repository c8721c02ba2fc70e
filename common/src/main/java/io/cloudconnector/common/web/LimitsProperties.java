package io.cloudconnector.common.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one request may cost a service ({@code connector.limits.*}).
 *
 * @param maxRequestBody the largest request body accepted; a larger one is answered 413 problem JSON
 * @param maxOpenStreams how many Server-Sent-Events streams the service keeps open at once; one more is answered
 *     429 problem JSON with {@code Retry-After}
 */
@ConfigurationProperties("connector.limits")
public record LimitsProperties(
        @DefaultValue("1MB") DataSize maxRequestBody,
        @DefaultValue("100") int maxOpenStreams) {

    public LimitsProperties {
        if (maxRequestBody.toBytes() < 1) {
            throw new IllegalArgumentException("connector.limits.max-request-body must be positive");
        }
        if (maxOpenStreams < 1) {
            throw new IllegalArgumentException("connector.limits.max-open-streams must be at least 1");
        }
    }
}
