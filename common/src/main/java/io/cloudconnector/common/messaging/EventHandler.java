package io.cloudconnector.common.messaging;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventEnvelope;

/**
 * Handles one type of event arriving in the service's inbox. Delivery is at least once and unordered:
 * a handler must be idempotent (conditional writes keyed by the event id or a sequence number); the
 * inbox additionally skips events it has already seen handled. Throwing leaves the message in the
 * queue to be retried; after 5 receives it goes to the dead-letter queue.
 */
public interface EventHandler<E extends ConnectorEvent> {

    /** The event record this handler takes. */
    Class<E> eventType();

    /** Applies one event. */
    void handle(EventEnvelope envelope, E event);
}
