package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.event.PolicyChanged;
import java.util.List;
import java.util.Map;

/**
 * A live protection policy, as much of it as tells which assets it covers and how often it backs them up.
 *
 * @param intervalMinutes the longest gap between two of its runs
 * @param assetIds assets selected by id
 * @param tags tags an asset must all carry to be selected
 * @param types asset types ({@code ebs}, {@code ec2}) the selection is limited to; empty for every type
 */
public record CoveringPolicy(
        String id,
        long version,
        long intervalMinutes,
        boolean paused,
        List<String> assetIds,
        Map<String, String> tags,
        List<String> types) {

    public CoveringPolicy {
        assetIds = List.copyOf(assetIds);
        tags = Map.copyOf(tags);
        types = List.copyOf(types);
    }

    static CoveringPolicy of(PolicyChanged event) {
        return new CoveringPolicy(
                event.policyId(),
                event.version(),
                event.intervalMinutes(),
                event.paused(),
                event.assetIds(),
                event.tags(),
                event.types());
    }

    /**
     * Whether the policy's selection picks the asset: named by id, or carrying every one of its tags (a policy
     * without tags selects by id only); either way of one of its types, if it names types. As background-jobs'
     * runs select.
     */
    public boolean selects(String assetId, String type, Map<String, String> assetTags) {
        if (!types.isEmpty() && !types.contains(type)) {
            return false;
        }
        if (assetIds.contains(assetId)) {
            return true;
        }
        return !tags.isEmpty()
                && tags.entrySet().stream().allMatch(t -> t.getValue().equals(assetTags.get(t.getKey())));
    }
}
