package io.cloudconnector.common.messaging;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventEnvelope;
import java.util.function.BiConsumer;

/**
 * Handles one type of event arriving in the service's inbox. Delivery is at least once and unordered:
 * a handler must be idempotent (conditional writes keyed by the event id or a sequence number); the
 * inbox additionally skips events it has already seen handled. Throwing leaves the message in the
 * queue to be retried; after 5 receives it goes to the dead-letter queue.
 *
 * <p>Services register handlers one way: a {@code @Bean} per event type made with {@link #of}, e.g.
 * {@code EventHandler.of(JobCreated.class, (envelope, event) -> jobs.created(event))}; the inbox collects
 * every {@code EventHandler} bean.
 */
public interface EventHandler<E extends ConnectorEvent> {

    /** The event record this handler takes. */
    Class<E> eventType();

    /** Applies one event. */
    void handle(EventEnvelope envelope, E event);

    /** The handler of {@code type} that runs {@code body} with each event's envelope and payload. */
    static <E extends ConnectorEvent> EventHandler<E> of(
            Class<E> type, BiConsumer<? super EventEnvelope, ? super E> body) {
        return new EventHandler<>() {
            @Override
            public Class<E> eventType() {
                return type;
            }

            @Override
            public void handle(EventEnvelope envelope, E event) {
                body.accept(envelope, event);
            }

            @Override
            public String toString() {
                return "EventHandler[" + type.getSimpleName() + "]";
            }
        };
    }
}
