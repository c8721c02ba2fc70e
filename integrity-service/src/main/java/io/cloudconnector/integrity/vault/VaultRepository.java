package io.cloudconnector.integrity.vault;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.vault.VaultDirectory;
import io.cloudconnector.common.vault.VaultEntry;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The vaults integrity knows: its {@link VaultDirectory} (items {@code VAULT#<id>}, listed under
 * {@code gsi1pk = VAULT}), with integrity's own settings on each item ({@code autoScan}, {@code settingsUpdatedAt}).
 */
@Repository
public class VaultRepository {

    static final String AUTO_SCAN = "autoScan";
    private static final String SETTINGS_UPDATED_AT = "settingsUpdatedAt";

    private final VaultDirectory directory;

    VaultRepository(VaultDirectory directory) {
        this.directory = directory;
    }

    /** The vault, unless unknown; deleted vaults included. */
    public Optional<VaultRecord> find(String id) {
        return directory.find(id).map(VaultRepository::record);
    }

    /** Every vault that is not deleted. */
    public List<VaultRecord> active() {
        return directory.active().stream().map(VaultRepository::record).toList();
    }

    Page<VaultRecord> list(PageRequest page) {
        return directory.listActive(page).map(VaultRepository::record);
    }

    /** Sets a live vault's {@code autoScan}; empty when the vault is unknown or deleted. */
    Optional<VaultRecord> updateSettings(String id, boolean autoScan, Instant at) {
        return directory
                .update(
                        id,
                        Map.of(
                                AUTO_SCAN,
                                AttributeValue.fromBool(autoScan),
                                SETTINGS_UPDATED_AT,
                                AttributeValue.fromS(at.toString())))
                .map(VaultRepository::record);
    }

    private static VaultRecord record(VaultEntry vault) {
        var autoScan = vault.item().get(AUTO_SCAN);
        var settingsAt = Items.optionalInstant(vault.item(), SETTINGS_UPDATED_AT);
        var updatedAt = settingsAt != null && settingsAt.isAfter(vault.updatedAt()) ? settingsAt : vault.updatedAt();
        return new VaultRecord(
                vault.id(),
                Objects.requireNonNullElse(vault.name(), ""),
                Objects.requireNonNullElse(vault.region(), ""),
                Objects.requireNonNullElse(vault.bucketName(), ""),
                Objects.requireNonNullElse(vault.kmsKeyArn(), ""),
                autoScan != null && Boolean.TRUE.equals(autoScan.bool()),
                vault.deleted(),
                updatedAt);
    }
}
