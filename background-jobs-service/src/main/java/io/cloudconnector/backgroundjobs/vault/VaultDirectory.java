package io.cloudconnector.backgroundjobs.vault;

import io.cloudconnector.common.vault.VaultEntry;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/**
 * The vaults in this service's table as the catalog's events told them: common's
 * {@link io.cloudconnector.common.vault.VaultDirectory} ({@code pk = VAULT#<id>}, {@code sk = VAULT}; any order, any
 * repeats, a deletion is a tombstone no late creation revives), read as this service's {@link Vault}s.
 */
@Repository
public class VaultDirectory {

    private final io.cloudconnector.common.vault.VaultDirectory directory;

    VaultDirectory(io.cloudconnector.common.vault.VaultDirectory directory) {
        this.directory = directory;
    }

    /** The vault, active or deleted, if this service has heard of its creation. */
    public Optional<Vault> find(String vaultId) {
        return directory.find(vaultId).filter(VaultEntry::described).map(VaultDirectory::vault);
    }

    private static Vault vault(VaultEntry vault) {
        return new Vault(
                vault.id(),
                Objects.requireNonNull(vault.name()),
                Objects.requireNonNull(vault.region()),
                Objects.requireNonNull(vault.bucketName()),
                Objects.requireNonNull(vault.kmsKeyArn()),
                vault.active());
    }
}
