package io.cloudconnector.backgroundjobs.backup;

import io.cloudconnector.backgroundjobs.ebs.AssetId;
import io.cloudconnector.backgroundjobs.ebs.Ec2Assets;
import io.cloudconnector.backgroundjobs.job.JobAdmission;
import io.cloudconnector.backgroundjobs.job.JobRecord;
import io.cloudconnector.backgroundjobs.vault.Vault;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.id.IdKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.InvalidInputException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import software.amazon.awssdk.services.ec2.model.SnapshotState;

/**
 * Starting a backup: every check that can refuse the request runs before anything is written, so a refused
 * request creates no job; an accepted one is stored, announced and launched.
 */
@Service
public class BackupService {

    static final String SNAPSHOT_ID = "snapshotId";
    /** The job parameters naming the protection policy and the run that started a backup. */
    public static final String POLICY_ID = JobRecord.POLICY_ID;

    public static final String RUN_ID = JobRecord.RUN_ID;
    /** The job parameter, {@code true}, of a policy backup whose recovery point is to be scanned. */
    public static final String SCAN = "scan";

    private static final String SCOPE = "POST /v1/backups";
    private static final String POLICY_SCOPE = "PolicyRun";

    private final VaultDirectory vaults;
    private final Ec2Assets assets;
    private final JobAdmission admission;
    private final String connectorRegion;
    private final Clock clock;

    BackupService(VaultDirectory vaults, Ec2Assets assets, JobAdmission admission, AwsProperties aws, Clock clock) {
        this.vaults = vaults;
        this.assets = assets;
        this.admission = admission;
        this.connectorRegion = aws.region();
        this.clock = clock;
    }

    ResponseEntity<JobAdmission.JobAccepted> start(CreateBackupRequest request, @Nullable String idempotencyKey) {
        // Ids are compared trimmed: a retry that differs only in spaces around them is the same request.
        var compared = new CreateBackupRequest(
                request.assetId().strip(), request.vaultId().strip(), request.snapshotId());
        return admission.admit(SCOPE, idempotencyKey, compared, BackupRequestRepository.LIST, () -> job(request));
    }

    /**
     * Starts a backup for a run of a protection policy: the same checks and admission as {@code POST /v1/backups}
     * (a refusal is the same 4xx exception, naming {@code assetId} or {@code vaultId}), the job naming the policy
     * and the run. Idempotent per run and asset: the same run asking again gets the job it started.
     */
    public JobAdmission.JobAccepted startForPolicy(
            String assetId, String vaultId, String policyId, String runId, boolean scan) {
        var request = new CreateBackupRequest(assetId, vaultId, null);
        var parameters = Map.of(POLICY_ID, policyId, RUN_ID, runId, SCAN, Boolean.toString(scan));
        var answer = admission.admit(
                POLICY_SCOPE,
                runId + ":" + assetId,
                Map.of("assetId", assetId, "vaultId", vaultId, "parameters", parameters),
                BackupRequestRepository.LIST,
                () -> job(request, parameters));
        return java.util.Objects.requireNonNull(answer.getBody());
    }

    private JobRecord job(CreateBackupRequest request) {
        return job(request, Map.of());
    }

    private JobRecord job(CreateBackupRequest request, Map<String, String> extra) {
        var vault = activeVault(request.vaultId().strip());
        var asset = asset(request.assetId().strip(), vault);
        Map<String, String> parameters = new HashMap<>(extra);
        if (request.snapshotId() != null) {
            checkSnapshot(request.snapshotId(), asset);
            parameters.put(SNAPSHOT_ID, request.snapshotId());
        }
        var kind = asset.kind() == RecoveryPointKind.EBS ? JobKind.EBS_BACKUP : JobKind.EC2_BACKUP;
        return JobRecord.queued(Ids.job(), kind, vault.id(), asset.canonical(), null, parameters, clock.instant());
    }

    private Vault activeVault(String vaultId) {
        if (!Ids.isValid(IdKind.VAULT, vaultId)) {
            throw new InvalidInputException("vaultId", "must be a vault id, vlt-…");
        }
        var vault = vaults.find(vaultId)
                .orElseThrow(() -> new InvalidInputException("vaultId", "no vault " + vaultId + " in this connector"));
        if (!vault.active()) {
            throw new ConflictException("vaultId", "Vault " + vaultId + " is deleted and takes no backups");
        }
        return vault;
    }

    private AssetId asset(String text, Vault vault) {
        AssetId asset;
        try {
            asset = AssetId.parse(text, assets.accountId(), connectorRegion);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("assetId", String.valueOf(e.getMessage()));
        }
        if (!asset.account().equals(assets.accountId())) {
            throw new InvalidInputException(
                    "assetId", "is in account " + asset.account() + "; this connector runs in " + assets.accountId());
        }
        if (!asset.region().equals(vault.region())) {
            throw new InvalidInputException(
                    "vaultId",
                    "is in region " + vault.region() + "; the asset is in " + asset.region()
                            + " (a vault takes backups of its own region)");
        }
        boolean exists = asset.kind() == RecoveryPointKind.EBS
                ? assets.volume(asset.region(), asset.resourceId()).isPresent()
                : assets.instance(asset.region(), asset.resourceId())
                        .filter(i -> !i.volumes().isEmpty())
                        .isPresent();
        if (!exists) {
            throw new InvalidInputException(
                    "assetId",
                    "no "
                            + (asset.kind() == RecoveryPointKind.EBS
                                    ? "volume "
                                    : "running or stopped instance with EBS volumes ")
                            + asset.resourceId() + " in " + asset.region());
        }
        return asset;
    }

    /** A tenant's own snapshot: of that volume (or the one it was created from), and completed. */
    private void checkSnapshot(String snapshotId, AssetId asset) {
        if (asset.kind() != RecoveryPointKind.EBS) {
            throw new InvalidInputException(
                    SNAPSHOT_ID,
                    "only a volume backup takes a snapshot; an instance is "
                            + "always snapshotted whole, all its volumes at one moment");
        }
        var snapshot = assets.snapshot(asset.region(), snapshotId)
                .orElseThrow(() ->
                        new InvalidInputException(SNAPSHOT_ID, "no snapshot " + snapshotId + " in " + asset.region()));
        var volume = assets.volume(asset.region(), asset.resourceId()).orElseThrow();
        if (!asset.resourceId().equals(snapshot.volumeId()) && !snapshotId.equals(volume.sourceSnapshotId())) {
            throw new InvalidInputException(
                    SNAPSHOT_ID, "is a snapshot of " + snapshot.volumeId() + ", not of " + asset.resourceId());
        }
        if (snapshot.state() != SnapshotState.COMPLETED) {
            throw new InvalidInputException(
                    SNAPSHOT_ID, "is " + snapshot.stateAsString() + "; only a completed snapshot can be backed up");
        }
    }
}
