package io.cloudconnector.catalog.vault;

/**
 * The recovery points of a vault, as a vault's purge needs them (implemented where recovery points live, so that
 * vaults need not know them).
 */
public interface VaultRecoveryPoints {

    /**
     * Deletes every recovery point of the vault that is not deleted yet, announcing each with
     * {@code RecoveryPointDeleted}; safe to run again.
     *
     * @return how many it deleted
     */
    int deleteAll(String vaultId);
}
