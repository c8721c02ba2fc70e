/**
 * The vaults integrity knows of, learnt from {@code VaultCreated}/{@code VaultDeleted} (services never call
 * each other), with the integrity settings of each: {@code autoScan}.
 */
@NullMarked
package io.cloudconnector.integrity.vault;

import org.jspecify.annotations.NullMarked;
