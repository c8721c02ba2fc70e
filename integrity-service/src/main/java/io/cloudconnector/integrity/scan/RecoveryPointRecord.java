package io.cloudconnector.integrity.scan;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A recovery point integrity learnt from {@code RecoveryPointCreated}: enough to scan it and find its predecessor. */
record RecoveryPointRecord(
        String id, String vaultId, String assetId, @Nullable String parentRecoveryPointId, Instant createdAt) {}
