package io.cloudconnector.common.event;

/**
 * Every domain event the connector's services publish. Past-tense names; the record's simple name is
 * the event's {@code type} and its EventBridge {@code detail-type}.
 */
public sealed interface ConnectorEvent
        permits VaultCreated,
                VaultFailed,
                VaultDeleted,
                VaultPruned,
                VaultMaintenanceRequested,
                RecoveryPointCreated,
                RecoveryPointDeleted,
                RecoveryPointExpired,
                RecoveryPointScanned,
                RecoveryPointRestoreTested,
                ScanReported,
                JobCreated,
                JobProvisioning,
                JobStarted,
                JobProgressed,
                JobSucceeded,
                JobFailed,
                JobCancelled,
                JobCancelRequested,
                JobRequeueRequested,
                AssetChanged,
                PolicyTick,
                PolicyChanged,
                PolicyDeleted,
                ProtectionStatusChanged,
                ConnectorPinged {}
