package io.cloudconnector.common.messaging;

import tools.jackson.databind.JsonNode;

/**
 * Handles EventBridge events from AWS itself that the connector's rules route to an inbox (EC2 state
 * changes, ECS task stops, spot interruption warnings). Same delivery rules as {@link EventHandler}:
 * at least once, unordered, so handlers are idempotent.
 */
public interface AwsEventHandler {

    /** Whether this handler takes events of this source (e.g. {@code aws.ec2}) and detail-type. */
    boolean accepts(String source, String detailType);

    /** Applies one event; {@code event} is the whole EventBridge event, {@code detail} included. */
    void handle(JsonNode event);
}
