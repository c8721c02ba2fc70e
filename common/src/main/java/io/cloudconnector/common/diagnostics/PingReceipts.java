package io.cloudconnector.common.diagnostics;

import io.cloudconnector.common.event.ConnectorPinged;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Records each {@link ConnectorPinged} this service receives (for a day), and reads the records back. */
public final class PingReceipts {

    private static final Duration RETENTION = Duration.ofDays(1);
    private static final String SK = "RECEIPT";

    private final ServiceTable table;
    private final String service;
    private final Clock clock;

    public PingReceipts(ServiceTable table, String service, Clock clock) {
        this.table = table;
        this.service = service;
        this.clock = clock;
    }

    /** Records the receipt of a ping (the inbox's handler of {@link ConnectorPinged}). */
    public void received(EventEnvelope envelope, ConnectorPinged event) {
        var item = ServiceTable.item(key(event.pingId()), SK);
        item.put("fromService", ServiceTable.s(event.fromService()));
        item.put("sentAt", ServiceTable.s(envelope.time().toString()));
        item.put("receivedAt", ServiceTable.s(clock.instant().toString()));
        var expires = ServiceTable.expiresAt(clock.instant().plus(RETENTION));
        item.put(expires.getKey(), expires.getValue());
        // The first receipt wins: a redelivered ping must not move its receivedAt.
        table.putIfAbsent(item);
    }

    /** The receipt of a ping, if this service received it. */
    public Optional<PingReceipt> find(String pingId) {
        return table.get(key(pingId), SK)
                .map(item -> new PingReceipt(
                        pingId,
                        Items.string(item, "fromService"),
                        service,
                        Items.instant(item, "sentAt"),
                        Items.instant(item, "receivedAt")));
    }

    private static String key(String pingId) {
        return "PING#" + pingId;
    }
}
