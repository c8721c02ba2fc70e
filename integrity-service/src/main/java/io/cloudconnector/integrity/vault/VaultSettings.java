package io.cloudconnector.integrity.vault;

import jakarta.validation.constraints.NotNull;

/** The integrity settings of a vault: {@code autoScan} scans every new recovery point of the vault. */
record VaultSettings(@NotNull Boolean autoScan) {}
