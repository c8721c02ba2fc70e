package io.cloudconnector.common.messaging;

import io.cloudconnector.common.store.ServiceTable;
import java.time.Clock;
import java.time.Duration;

/**
 * Which events this service has already handled, as {@code EVENT#<id>} items with a TTL in the service's
 * table. Records are written only after the handlers succeed, so a crash in between means the event is
 * handled again — which idempotent handlers absorb — never that it is lost.
 */
public final class ProcessedEvents {

    private static final String SK = "PROCESSED";

    private final ServiceTable table;
    private final Clock clock;
    private final Duration retention;

    public ProcessedEvents(ServiceTable table, Clock clock, Duration retention) {
        this.table = table;
        this.clock = clock;
        this.retention = retention;
    }

    /** Whether the event with this id was handled before. */
    public boolean contains(String eventId) {
        return table.get(key(eventId), SK).isPresent();
    }

    /** Records that the event was handled. */
    public void add(String eventId, String type) {
        var item = ServiceTable.item(key(eventId), SK);
        item.put("type", ServiceTable.s(type));
        var expires = ServiceTable.expiresAt(clock.instant().plus(retention));
        item.put(expires.getKey(), expires.getValue());
        table.put(item);
    }

    private static String key(String eventId) {
        return "EVENT#" + eventId;
    }
}
