package io.cloudconnector.common.messaging;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes domain events on the connector's EventBridge bus with {@code source = cloudconnector.<service>}
 * and {@code detail-type = <EventName>}; the bus's rules route them to the consumers' inboxes.
 */
public final class EventPublisher {

    private static final int MAX_ENTRIES_PER_CALL = 10;

    private final EventBridgeClient events;
    private final EventCodec codec;
    private final String busName;
    private final String source;
    private final String connectorId;
    private final Clock clock;

    public EventPublisher(
            EventBridgeClient events,
            EventCodec codec,
            String busName,
            String serviceName,
            String connectorId,
            Clock clock) {
        this.events = events;
        this.codec = codec;
        this.busName = busName;
        this.source = "cloudconnector." + serviceName;
        this.connectorId = connectorId;
        this.clock = clock;
    }

    /** Publishes one event; returns the envelope it was sent in. */
    public EventEnvelope publish(ConnectorEvent event, @Nullable String correlationId) {
        return publishAll(List.of(event), correlationId).getFirst();
    }

    /**
     * Publishes events in as few calls as EventBridge allows. Throws {@link EventPublishException} naming
     * the events the bus refused; the ones it accepted stay published (consumers are idempotent, so a
     * caller may safely publish the same envelopes again).
     */
    public List<EventEnvelope> publishAll(List<? extends ConnectorEvent> batch, @Nullable String correlationId) {
        List<EventEnvelope> envelopes = batch.stream()
                .map(e -> EventEnvelope.wrap(e, connectorId, correlationId, clock))
                .toList();
        for (int from = 0; from < envelopes.size(); from += MAX_ENTRIES_PER_CALL) {
            send(envelopes.subList(from, Math.min(from + MAX_ENTRIES_PER_CALL, envelopes.size())));
        }
        return envelopes;
    }

    private void send(List<EventEnvelope> envelopes) {
        List<PutEventsRequestEntry> entries = envelopes.stream()
                .map(envelope -> PutEventsRequestEntry.builder()
                        .eventBusName(busName)
                        .source(source)
                        .detailType(envelope.type())
                        .detail(codec.encode(envelope))
                        .time(envelope.time())
                        .build())
                .toList();
        var response = events.putEvents(b -> b.entries(entries));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            List<String> failures = new ArrayList<>();
            List<PutEventsResultEntry> results = response.entries();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).errorCode() != null) {
                    failures.add(envelopes.get(i).type() + " "
                            + envelopes.get(i).id() + ": " + results.get(i).errorCode() + " "
                            + results.get(i).errorMessage());
                }
            }
            throw new EventPublishException("Bus " + busName + " refused " + failures);
        }
    }
}
