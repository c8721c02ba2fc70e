package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.event.AssetChanged;
import org.jspecify.annotations.Nullable;

/**
 * A change written to its asset's item together with the facts, not yet published. Publishing it with
 * {@link ChangeOutbox#publish} removes it from the item; if that never happens the resync relays it.
 */
public record PendingChange(
        String outboxId, AssetChanged event, @Nullable String correlationId) {}
