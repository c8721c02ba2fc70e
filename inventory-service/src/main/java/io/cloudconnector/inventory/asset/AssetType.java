package io.cloudconnector.inventory.asset;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/** The kinds of asset the connector protects. */
public enum AssetType {
    EC2("aws:ec2:"),
    EBS("aws:ebs:");

    private final String idPrefix;

    AssetType(String idPrefix) {
        this.idPrefix = idPrefix;
    }

    /** The asset id of resource {@code resourceId} ({@code i-…} or {@code vol-…}): {@code aws:<type>:<account>:<region>:<id>}. */
    public String assetId(String account, String region, String resourceId) {
        return idPrefix + account + ":" + region + ":" + resourceId;
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }
}
