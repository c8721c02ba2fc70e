package io.cloudconnector.common.event;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An asset's protection status changed ({@code protected}, {@code at-risk}, {@code unprotected}); operators route it
 * to their alerts.
 *
 * @param before the status before, null for an asset seen for the first time
 * @param reasons why it is what it is now (e.g. {@code no-recovery-point-within-twice-the-interval})
 */
public record ProtectionStatusChanged(
        String assetId, @Nullable String before, String after, List<String> policyIds, List<String> reasons)
        implements ConnectorEvent {

    public ProtectionStatusChanged {
        policyIds = List.copyOf(policyIds);
        reasons = List.copyOf(reasons);
    }
}
