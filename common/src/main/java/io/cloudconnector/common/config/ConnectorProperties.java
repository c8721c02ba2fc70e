package io.cloudconnector.common.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who this service is within its connector ({@code connector.*}). Defaults derive every name from the
 * connector id and the service name, matching {@code infra/cloudformation/connector.yaml}.
 *
 * @param id the connector id, also the audience tenant tokens must carry
 * @param service this service's name, e.g. {@code catalog}; the event source is {@code cloudconnector.<service>}
 * @param eventBus the connector's EventBridge bus
 * @param table this service's DynamoDB table
 * @param inboxQueue this service's SQS inbox
 */
@ConfigurationProperties("connector")
public record ConnectorProperties(String id, String service, String eventBus, String table, String inboxQueue) {

    public ConnectorProperties {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("connector.id (CONNECTOR_ID) must be set");
        }
    }
}
