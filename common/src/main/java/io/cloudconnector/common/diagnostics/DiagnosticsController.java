package io.cloudconnector.common.diagnostics;

import io.cloudconnector.common.event.ConnectorPinged;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.NotFoundException;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/diagnostics/<service>/pings} publishes a ping from this service;
 * {@code GET /v1/diagnostics/<service>/pings/{id}} tells whether this service received it through its inbox.
 */
@RestController
@RequestMapping("/v1/diagnostics/${connector.service}/pings")
public class DiagnosticsController {

    private final EventPublisher publisher;
    private final PingReceipts receipts;
    private final String service;

    public DiagnosticsController(EventPublisher publisher, PingReceipts receipts, String service) {
        this.publisher = publisher;
        this.receipts = receipts;
        this.service = service;
    }

    @PostMapping
    @RequiresScope(Scopes.DIAGNOSTICS)
    public ResponseEntity<PingAccepted> ping() {
        String pingId = Ids.ulid();
        publisher.publish(new ConnectorPinged(pingId, service), null);
        return ResponseEntity.accepted()
                .location(URI.create("/v1/diagnostics/" + service + "/pings/" + pingId))
                .body(new PingAccepted(pingId, service));
    }

    @GetMapping("/{pingId}")
    @RequiresScope(Scopes.DIAGNOSTICS)
    public PingReceipt receipt(@PathVariable String pingId) {
        if (!Ids.isUlid(pingId)) {
            throw new InvalidInputException("pingId", "must be a ULID");
        }
        return receipts.find(pingId).orElseThrow(() -> new NotFoundException("Ping", pingId));
    }
}
