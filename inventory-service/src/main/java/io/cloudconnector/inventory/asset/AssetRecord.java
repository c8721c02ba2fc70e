package io.cloudconnector.inventory.asset;

import java.time.Instant;

/**
 * A discovered asset as the table holds it, with what makes concurrent and out-of-order updates safe.
 *
 * @param observedAt when the observation that set the facts was made (describe results count as
 *     {@code inventory.describe-lag} older than the call); older describe results are ignored
 * @param stateAt the same for the state alone, which EC2 events also report
 * @param version bumped by every write: writers only replace the version they read (optimistic locking)
 */
public record AssetRecord(
        AssetFacts facts, Instant firstSeen, Instant lastSeen, Instant observedAt, Instant stateAt, long version) {

    /** The asset's id. */
    public String id() {
        return facts.id();
    }

    /** Whether the asset no longer exists. */
    public boolean isDeleted() {
        return AssetStates.DELETED.equals(facts.state());
    }
}
