package io.cloudconnector.common.event;

import io.cloudconnector.common.id.Ids;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The wire form of every event: a ULID {@code id} (the key consumers deduplicate on), the payload's
 * {@code type} and schema {@code version}, when it happened, which connector emitted it, the id of the
 * job or request it belongs to, and the payload itself.
 */
public record EventEnvelope(
        String id,
        String type,
        int version,
        Instant time,
        String connectorId,
        @Nullable String correlationId,
        ConnectorEvent payload) {

    /** Wraps {@code payload} in a new envelope with a fresh id. */
    public static EventEnvelope wrap(
            ConnectorEvent payload, String connectorId, @Nullable String correlationId, Clock clock) {
        return new EventEnvelope(
                Ids.ulid(),
                EventTypes.typeOf(payload),
                EventTypes.CURRENT_VERSION,
                clock.instant(),
                connectorId,
                correlationId,
                payload);
    }
}
