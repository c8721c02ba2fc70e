package io.cloudconnector.common.event;

import org.jspecify.annotations.Nullable;

/** A job was accepted and queued. */
public record JobCreated(
        String jobId,
        JobKind kind,
        @Nullable String vaultId,
        @Nullable String assetId,
        @Nullable String recoveryPointId)
        implements ConnectorEvent {}
