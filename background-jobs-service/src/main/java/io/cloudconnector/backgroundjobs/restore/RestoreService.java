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
import io.cloudconnector.common.web.NotFoundException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
    static final String SECURITY_GROUPS = "securityGroupIds";
    static final String KMS_KEY = "kmsKeyId";
    static final String NO_PUBLIC_IP = "noPublicIp";
    static final String KEEP_IMAGE = "keepImage";
    private static final String SCOPE = "POST /v1/restores";
    private static final Pattern INSTANCE_TYPE_FORMAT = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
    private static final Pattern SUBNET_FORMAT = Pattern.compile("subnet-[0-9a-f]{8,17}");
    private static final Pattern SECURITY_GROUP_FORMAT = Pattern.compile("sg-[0-9a-f]{8,17}");
    private static final Pattern KMS_KEY_FORMAT = Pattern.compile("[A-Za-z0-9:/_+=,.@-]{1,2048}");

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
        if (type == RestoreTargetType.EC2_INSTANCE) {
            checkInstanceTarget(target, region, point);
        }
        Map<String, String> parameters = new HashMap<>();
        parameters.put(TYPE, type.wireName());
        put(parameters, ZONE, target.availabilityZone());
        put(parameters, INSTANCE_TYPE, target.instanceType());
        put(parameters, SUBNET, target.subnetId());
        if (target.securityGroupIds() != null) {
            parameters.put(SECURITY_GROUPS, String.join(",", new LinkedHashSet<>(target.securityGroupIds())));
        }
        put(parameters, KMS_KEY, target.kmsKeyId());
        if (Boolean.TRUE.equals(target.noPublicIp())) {
            parameters.put(NO_PUBLIC_IP, "true");
        }
        if (Boolean.TRUE.equals(target.keepImage())) {
            parameters.put(KEEP_IMAGE, "true");
        }
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
        boolean placed = type == RestoreTargetType.EBS_VOLUME || type == RestoreTargetType.EC2_INSTANCE;
        if (!placed && target.availabilityZone() != null) {
            problems.add(new FieldProblem("target.availabilityZone", notUsed));
        }
        if (type != RestoreTargetType.EC2_INSTANCE) {
            if (target.instanceType() != null) {
                problems.add(new FieldProblem("target.instanceType", notUsed));
            }
            if (target.subnetId() != null) {
                problems.add(new FieldProblem("target.subnetId", notUsed));
            }
            if (target.securityGroupIds() != null) {
                problems.add(new FieldProblem("target.securityGroupIds", notUsed));
            }
            if (target.kmsKeyId() != null) {
                problems.add(new FieldProblem("target.kmsKeyId", notUsed));
            }
            if (target.noPublicIp() != null) {
                problems.add(new FieldProblem("target.noPublicIp", notUsed));
            }
            if (target.keepImage() != null) {
                problems.add(new FieldProblem("target.keepImage", notUsed));
            }
        }
        if (placed && target.availabilityZone() != null && !assets.zoneExists(region, target.availabilityZone())) {
            problems.add(new FieldProblem("target.availabilityZone", "is not an availability zone of " + region));
        }
        if (type == RestoreTargetType.EC2_INSTANCE) {
            if (target.instanceType() != null
                    && !INSTANCE_TYPE_FORMAT.matcher(target.instanceType()).matches()) {
                problems.add(new FieldProblem("target.instanceType", "must be an instance type such as m6i.large"));
            }
            if (target.subnetId() != null
                    && !SUBNET_FORMAT.matcher(target.subnetId()).matches()) {
                problems.add(new FieldProblem("target.subnetId", "must be a subnet id, subnet-…"));
            }
            var groups = target.securityGroupIds() == null ? List.<String>of() : target.securityGroupIds();
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i) != null
                        && !SECURITY_GROUP_FORMAT.matcher(groups.get(i)).matches()) {
                    problems.add(new FieldProblem(
                            "target.securityGroupIds[" + i + "]", "must be a security group id, sg-…"));
                }
            }
            if (target.kmsKeyId() != null
                    && !KMS_KEY_FORMAT.matcher(target.kmsKeyId()).matches()) {
                problems.add(new FieldProblem("target.kmsKeyId", "must be a KMS key id, ARN or alias"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /**
     * The ids an instance target names must exist (404 otherwise) and fit together: the subnet in the zone asked
     * for, the security groups in the VPC the instance lands in, and a subnet of the instance's VPC in a zone asked
     * for without one.
     */
    private void checkInstanceTarget(RestoreTarget target, String region, KnownRecoveryPoint point) {
        var instance = point.instance();
        String vpc = instance == null ? null : instance.vpcId();
        String subnetId = target.subnetId();
        String zone = target.availabilityZone();
        if (subnetId != null) {
            var subnet = assets.subnet(region, subnetId).orElseThrow(() -> new NotFoundException("Subnet", subnetId));
            if (zone != null && !zone.equals(subnet.availabilityZone())) {
                throw new InvalidInputException(
                        "target.availabilityZone",
                        "subnet " + subnet.subnetId() + " is in " + subnet.availabilityZone() + ", not in " + zone);
            }
            vpc = subnet.vpcId();
        } else if (zone != null
                && vpc != null
                && assets.subnetsInZone(region, vpc, zone).isEmpty()) {
            throw new InvalidInputException(
                    "target.availabilityZone",
                    "the instance's VPC " + vpc + " has no subnet in " + zone + ": name one with target.subnetId");
        }
        var groups = target.securityGroupIds();
        if (groups != null) {
            var found = assets.securityGroupVpcs(region, groups);
            for (String group : groups) {
                if (!found.containsKey(group)) {
                    throw new NotFoundException("Security group", group);
                }
                if (vpc != null && !vpc.equals(found.get(group))) {
                    throw new InvalidInputException(
                            "target.securityGroupIds",
                            "security group " + group + " is not in " + vpc + ", where the instance is launched");
                }
            }
        }
    }

    private static void put(Map<String, String> parameters, String name, @Nullable String value) {
        if (value != null) {
            parameters.put(name, value);
        }
    }
}
