package io.cloudconnector.common.event;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A protection policy was created or changed (paused and resumed included): what the inventory needs to tell which
 * assets it covers and how old their newest recovery point may be.
 *
 * @param version the policy's version; a consumer keeps the highest it has seen
 * @param intervalMinutes the longest gap between two runs of the schedule
 * @param pausedReason why it is paused ({@code user}, {@code vault-deleted}), null while it runs
 * @param assetIds assets selected by id
 * @param tags tags an asset must all carry to be selected
 * @param types asset types ({@code ebs}, {@code ec2}) the selection is limited to; empty for every type
 */
public record PolicyChanged(
        String policyId,
        long version,
        String name,
        String vaultId,
        long intervalMinutes,
        boolean paused,
        @Nullable String pausedReason,
        boolean scan,
        List<String> assetIds,
        Map<String, String> tags,
        List<String> types)
        implements ConnectorEvent {

    public PolicyChanged {
        assetIds = List.copyOf(assetIds);
        tags = Map.copyOf(tags);
        types = List.copyOf(types);
    }
}
