package io.cloudconnector.backgroundjobs.restore;

import io.cloudconnector.backgroundjobs.ebs.Ec2Assets;
import io.cloudconnector.backgroundjobs.files.FilesRestores;
import io.cloudconnector.backgroundjobs.job.JobAdmission;
import io.cloudconnector.backgroundjobs.job.JobRecord;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.id.IdKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

/**
 * Starting a restore: the recovery point must be one this connector wrote, still available, in a vault that
 * still exists, and the target must fit it; every check runs before anything is written.
 */
@Service
class RestoreService {

    static final String TYPE = "targetType";
    static final String ZONE = "availabilityZone";
    static final String INSTANCE_TYPE = "instanceType";
    static final String SUBNET = "subnetId";
    private static final String SCOPE = "POST /v1/restores";
    private static final Pattern INSTANCE_TYPE_FORMAT = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");

    private final RecoveryPointStore points;
    private final VaultDirectory vaults;
    private final Ec2Assets assets;
    private final JobAdmission admission;
    private final Clock clock;
    private final FilesRestores files;

    RestoreService(
            RecoveryPointStore points,
            VaultDirectory vaults,
            Ec2Assets assets,
            JobAdmission admission,
            Clock clock,
            FilesRestores files) {
        this.points = points;
        this.vaults = vaults;
        this.assets = assets;
        this.admission = admission;
        this.clock = clock;
        this.files = files;
    }

    ResponseEntity<JobAdmission.JobAccepted> start(CreateRestoreRequest request, @Nullable String idempotencyKey) {
        // The id is compared trimmed: a retry that differs only in spaces around it is the same request.
        var compared = new CreateRestoreRequest(request.recoveryPointId().strip(), request.target());
        return admission.admit(SCOPE, idempotencyKey, compared, RestoreRequestRepository.LIST, () -> job(request));
    }

    private JobRecord job(CreateRestoreRequest request) {
        var target = request.target();
        if (FilesRestores.TARGET_TYPE.equals(target.type())) {
            return filesJob(request.recoveryPointId().strip(), target);
        }
        var point = availablePoint(request.recoveryPointId().strip());
        String region = vaults.find(point.vaultId()).orElseThrow().region();
        var type = type(target.type());
        if (type.restores() != point.kind()) {
            throw new InvalidInputException(
                    "target.type",
                    type.wireName() + " restores an "
                            + WireNames.of(type.restores()) + " recovery point; " + point.id() + " is an "
                            + WireNames.of(point.kind()) + " one");
        }
        checkTarget(type, target, region);
        Map<String, String> parameters = new HashMap<>();
        parameters.put(TYPE, type.wireName());
        put(parameters, ZONE, target.availabilityZone());
        put(parameters, INSTANCE_TYPE, target.instanceType());
        put(parameters, SUBNET, target.subnetId());
        return JobRecord.queued(
                Ids.job(), type.jobKind(), point.vaultId(), point.assetId(), point.id(), parameters, clock.instant());
    }

    /** A files restore: its own checks (the point opened as for browsing, the volume and paths found in it). */
    private JobRecord filesJob(String recoveryPointId, RestoreTarget target) {
        List<FieldProblem> problems = new ArrayList<>();
        String notUsed = "is not used for " + FilesRestores.TARGET_TYPE;
        if (target.availabilityZone() != null) {
            problems.add(new FieldProblem("target.availabilityZone", notUsed));
        }
        if (target.instanceType() != null) {
            problems.add(new FieldProblem("target.instanceType", notUsed));
        }
        if (target.subnetId() != null) {
            problems.add(new FieldProblem("target.subnetId", notUsed));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        var s3 = target.s3();
        return files.job(
                recoveryPointId,
                target.volume(),
                target.paths(),
                s3 == null ? null : s3.bucket(),
                s3 == null ? null : s3.prefix(),
                Map.of(TYPE, FilesRestores.TARGET_TYPE));
    }

    private KnownRecoveryPoint availablePoint(String id) {
        if (!Ids.isValid(IdKind.RECOVERY_POINT, id)) {
            throw new InvalidInputException("recoveryPointId", "must be a recovery point id, rp-…");
        }
        var point = points.find(id)
                .orElseThrow(() -> new InvalidInputException(
                        "recoveryPointId", "no recovery point " + id + " written by this connector"));
        if (!point.available()) {
            throw new ConflictException(
                    "recoveryPointId",
                    "Recovery point " + id + " is " + point.status().wireName() + ": it cannot be restored");
        }
        if (vaults.find(point.vaultId()).filter(v -> v.active()).isEmpty()) {
            throw new ConflictException(
                    "recoveryPointId", "The vault of " + id + ", " + point.vaultId() + ", is deleted");
        }
        return point;
    }

    private static RestoreTargetType type(String text) {
        try {
            return WireNames.parse(RestoreTargetType.class, text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("target.type", e.getMessage() + " or " + FilesRestores.TARGET_TYPE);
        }
    }

    /** Names every field of the target that is wrong, at once. */
    private void checkTarget(RestoreTargetType type, RestoreTarget target, String region) {
        List<FieldProblem> problems = new ArrayList<>();
        String notUsed = "is not used for " + type.wireName();
        target.filesFields().forEach(field -> problems.add(new FieldProblem(field, notUsed)));
        if (type != RestoreTargetType.EBS_VOLUME && target.availabilityZone() != null) {
            problems.add(new FieldProblem(
                    "target.availabilityZone",
                    notUsed + (type == RestoreTargetType.EC2_INSTANCE ? " (the subnet decides the zone)" : "")));
        }
        if (type != RestoreTargetType.EC2_INSTANCE) {
            if (target.instanceType() != null) {
                problems.add(new FieldProblem("target.instanceType", notUsed));
            }
            if (target.subnetId() != null) {
                problems.add(new FieldProblem("target.subnetId", notUsed));
            }
        }
        if (type == RestoreTargetType.EBS_VOLUME
                && target.availabilityZone() != null
                && !assets.zoneExists(region, target.availabilityZone())) {
            problems.add(new FieldProblem("target.availabilityZone", "is not an availability zone of " + region));
        }
        if (type == RestoreTargetType.EC2_INSTANCE) {
            if (target.instanceType() != null
                    && !INSTANCE_TYPE_FORMAT.matcher(target.instanceType()).matches()) {
                problems.add(new FieldProblem("target.instanceType", "must be an instance type such as m6i.large"));
            }
            if (target.subnetId() != null
                    && assets.subnet(region, target.subnetId()).isEmpty()) {
                problems.add(new FieldProblem("target.subnetId", "no subnet " + target.subnetId() + " in " + region));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    private static void put(Map<String, String> parameters, String name, @Nullable String value) {
        if (value != null) {
            parameters.put(name, value);
        }
    }
}
