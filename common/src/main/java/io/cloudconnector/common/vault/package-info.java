/**
 * What services know of vaults: the vault directory each consuming service keeps of the catalog's vaults, fed by
 * {@code VaultCreated} and {@code VaultDeleted} in any order and any number of times (see
 * {@link io.cloudconnector.common.vault.VaultDirectory}), and the names of a vault's AWS resources as its stack
 * ({@code infra/cloudformation/vault.yaml}) creates them ({@link io.cloudconnector.common.vault.VaultResources}).
 */
@NullMarked
package io.cloudconnector.common.vault;

import org.jspecify.annotations.NullMarked;
