/**
 * The vault directory each consuming service keeps of the catalog's vaults, fed by {@code VaultCreated} and
 * {@code VaultDeleted} in any order and any number of times: see {@link io.cloudconnector.common.vault.VaultDirectory}.
 */
@NullMarked
package io.cloudconnector.common.vault;

import org.jspecify.annotations.NullMarked;
