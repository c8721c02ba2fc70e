package io.cloudconnector.common.diagnostics;

import java.time.Instant;

/** Proof that {@code receivedBy} got the ping {@code pingId} that {@code fromService} published. */
public record PingReceipt(String pingId, String fromService, String receivedBy, Instant sentAt, Instant receivedAt) {}
