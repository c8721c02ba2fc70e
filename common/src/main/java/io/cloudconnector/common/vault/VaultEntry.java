package io.cloudconnector.common.vault;

import io.cloudconnector.common.store.Items;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A vault as a service's {@link VaultDirectory} knows it. The description ({@code name} to {@code kmsKeyArn}) is
 * null while only the vault's deletion has arrived; {@code updatedAt} is the time of the newest vault event
 * applied; {@code item} is the whole item, with the attributes the service keeps of its own (see
 * {@link VaultDirectory#update}).
 */
public record VaultEntry(
        String id,
        @Nullable String name,
        @Nullable String region,
        @Nullable String bucketName,
        @Nullable String kmsKeyArn,
        boolean deleted,
        Instant updatedAt,
        Map<String, AttributeValue> item) {

    public VaultEntry {
        item = Map.copyOf(item);
    }

    /** Whether its {@code VaultCreated} arrived: where its bucket and key are is known. */
    public boolean described() {
        return bucketName != null;
    }

    /** Live: described and not deleted. */
    public boolean active() {
        return described() && !deleted;
    }

    static VaultEntry of(Map<String, AttributeValue> item) {
        String pk = Items.string(item, "pk");
        var described = Items.optionalInstant(item, VaultDirectory.DESCRIBED_AT);
        var deletedAt = Items.optionalInstant(item, VaultDirectory.DELETED_AT);
        Instant updatedAt = described == null
                ? deletedAt
                : deletedAt == null || described.isAfter(deletedAt) ? described : deletedAt;
        var deleted = item.get(VaultDirectory.DELETED);
        return new VaultEntry(
                pk.substring(VaultDirectory.KEY_PREFIX.length()),
                Items.optionalString(item, "name"),
                Items.optionalString(item, "region"),
                Items.optionalString(item, "bucketName"),
                Items.optionalString(item, "kmsKeyArn"),
                deleted != null && Boolean.TRUE.equals(deleted.bool()),
                updatedAt == null ? Instant.EPOCH : updatedAt,
                item);
    }
}
