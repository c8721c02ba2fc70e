package io.cloudconnector.inventory.asset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What EC2 says about an asset: the part of an asset that discovery keeps current, that changes are
 * detected on and that {@code AssetChanged} carries in {@code before}/{@code after}. First/last-seen times and
 * protection are not facts: they change without the asset changing.
 *
 * @param sizeGiB volumes only
 * @param instanceType instances only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssetFacts(
        String id,
        AssetType type,
        String state,
        @Nullable String availabilityZone,
        @Nullable Long sizeGiB,
        @Nullable String instanceType,
        Map<String, String> tags,
        List<Attachment> attachments) {

    public AssetFacts {
        // Sorted copies, so that the same facts from two describe calls are equal.
        tags = java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
        attachments = attachments.stream().sorted().toList();
    }

    /** The same facts in another state. */
    public AssetFacts withState(String newState) {
        return new AssetFacts(id, type, newState, availabilityZone, sizeGiB, instanceType, tags, attachments);
    }

    /** The facts as {@code AssetChanged} carries them (JSON-ready, absent values left out). */
    public Map<String, Object> attributes() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", type.wireName());
        attributes.put("state", state);
        if (availabilityZone != null) {
            attributes.put("availabilityZone", availabilityZone);
        }
        if (sizeGiB != null) {
            attributes.put("sizeGiB", sizeGiB);
        }
        if (instanceType != null) {
            attributes.put("instanceType", instanceType);
        }
        attributes.put("tags", tags);
        attributes.put(
                "attachments",
                attachments.stream()
                        .map(a -> Map.of("assetId", a.assetId(), "device", a.device()))
                        .toList());
        return attributes;
    }
}
