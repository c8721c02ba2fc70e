package io.cloudconnector.provisioner.vault;

import io.cloudconnector.common.vault.VaultDirectory;
import io.cloudconnector.common.vault.VaultEntry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/**
 * The vaults the provisioner knows: its {@link VaultDirectory} (items {@code pk = VAULT#<id>, sk = VAULT} in the
 * provisioner table, listed under {@code gsi1pk = VAULT}); a vault's servers share its partition.
 */
@Repository
public class VaultRepository {

    private final VaultDirectory directory;

    VaultRepository(VaultDirectory directory) {
        this.directory = directory;
    }

    /** The vault, deleted or not, unless unknown. */
    public Optional<Vault> find(String id) {
        return directory.find(id).map(VaultRepository::vault);
    }

    /** Every vault that is not deleted. */
    public List<Vault> active() {
        return directory.active().stream().map(VaultRepository::vault).toList();
    }

    /** The partition key of a vault's item, which its servers share (see {@code ScalezServerRepository}). */
    public static String key(String vaultId) {
        return VaultDirectory.key(vaultId);
    }

    /** A vault only the deletion of which arrived has empty strings for where it was. */
    private static Vault vault(VaultEntry vault) {
        return new Vault(
                vault.id(),
                Objects.requireNonNullElse(vault.region(), ""),
                Objects.requireNonNullElse(vault.bucketName(), ""),
                Objects.requireNonNullElse(vault.kmsKeyArn(), ""),
                vault.deleted());
    }
}
