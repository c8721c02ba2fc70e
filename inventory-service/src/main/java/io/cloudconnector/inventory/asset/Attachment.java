package io.cloudconnector.inventory.asset;

/**
 * One side of an instance-volume attachment, seen from the other side: for a volume, the instance it is
 * attached to; for an instance, a volume attached to it. {@code assetId} is the other asset's id.
 */
public record Attachment(String assetId, String device) implements Comparable<Attachment> {

    @Override
    public int compareTo(Attachment other) {
        int byAsset = assetId.compareTo(other.assetId);
        return byAsset != 0 ? byAsset : device.compareTo(other.device);
    }
}
