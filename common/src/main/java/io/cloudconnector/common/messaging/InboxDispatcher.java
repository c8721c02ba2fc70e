package io.cloudconnector.common.messaging;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.MalformedEventException;
import io.cloudconnector.common.event.UnknownEventTypeException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's one consumer of its SQS inbox: decodes each message, skips events already handled,
 * runs the handlers registered for its type, then records it as handled. A message that is not an
 * event at all is dropped with an error in the log (it would fail the same way five times and land in
 * the DLQ anyway); a handler's exception leaves the message for redelivery.
 */
public final class InboxDispatcher {

    private static final Logger log = LoggerFactory.getLogger(InboxDispatcher.class);

    private final EventCodec codec;
    private final ProcessedEvents processed;
    private final Map<String, List<EventHandler<?>>> handlers;

    public InboxDispatcher(EventCodec codec, ProcessedEvents processed, List<EventHandler<?>> handlers) {
        this.codec = codec;
        this.processed = processed;
        this.handlers = handlers.stream().collect(Collectors.groupingBy(
                h -> io.cloudconnector.common.event.EventTypes.typeOf(h.eventType())));
    }

    @SqsListener(value = "${connector.inbox-queue}", id = "connector-inbox")
    public void onMessage(String body) {
        EventEnvelope envelope;
        try {
            envelope = codec.decode(body);
        } catch (UnknownEventTypeException e) {
            log.warn("Ignoring event of unknown type {} (a newer producer?)", e.type());
            return;
        } catch (MalformedEventException e) {
            log.error("Dropping a message that is not a connector event: {}", e.getMessage());
            return;
        }
        dispatch(envelope);
    }

    /** Handles one decoded event; public so that tests and replay tools can feed events directly. */
    public void dispatch(EventEnvelope envelope) {
        var forType = handlers.getOrDefault(envelope.type(), List.of());
        if (forType.isEmpty()) {
            log.debug("No handler for {} {}", envelope.type(), envelope.id());
            return;
        }
        if (processed.contains(envelope.id())) {
            log.debug("Skipping {} {}: already handled", envelope.type(), envelope.id());
            return;
        }
        for (EventHandler<?> handler : forType) {
            invoke(handler, envelope);
        }
        processed.add(envelope.id(), envelope.type());
    }

    private static <E extends io.cloudconnector.common.event.ConnectorEvent> void invoke(EventHandler<E> handler,
            EventEnvelope envelope) {
        handler.handle(envelope, handler.eventType().cast(envelope.payload()));
    }
}
