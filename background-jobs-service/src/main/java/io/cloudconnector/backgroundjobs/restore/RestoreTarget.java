package io.cloudconnector.backgroundjobs.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cloudconnector.backgroundjobs.files.FilesRestores;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a recovery point is restored to.
 *
 * @param type {@code ebs-snapshot}, {@code ebs-volume} (an EBS recovery point), {@code ec2-instance} (an EC2 one) or
 *     {@code files} (either: files and directories into an S3 bucket)
 * @param availabilityZone for {@code ebs-volume}: where the volume is created (default: the original volume's); for
 *     {@code ec2-instance}: the zone to launch in (a subnet of the instance's VPC in that zone is chosen, unless
 *     {@code subnetId} names one)
 * @param instanceType for {@code ec2-instance}: overrides the original type
 * @param subnetId for {@code ec2-instance}: overrides the original subnet (every network interface goes there)
 * @param securityGroupIds for {@code ec2-instance}: overrides the original security groups (of every interface)
 * @param kmsKeyId for {@code ec2-instance}: the KMS key every restored volume is encrypted with
 * @param noPublicIp for {@code ec2-instance}: launch without a public IPv4 address, whatever the original had
 * @param keepImage for {@code ec2-instance}: keep the image registered for the launch, and its snapshots (default:
 *     deregistered and deleted once the instance runs)
 * @param volume for {@code files}: the volume of the recovery point the paths are in
 * @param paths for {@code files}: the files and directories (with their subtrees) to restore
 * @param s3 for {@code files}: the bucket and key prefix to write them to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreTarget(
        @NotBlank String type,
        @Nullable String availabilityZone,
        @Nullable String instanceType,
        @Nullable String subnetId,
        @Nullable @Size(min = 1, max = 16) List<@NotBlank String> securityGroupIds,
        @Nullable @Size(max = 2048) String kmsKeyId,
        @Nullable Boolean noPublicIp,
        @Nullable Boolean keepImage,
        @Nullable String volume,
        @Nullable List<String> paths,
        @Nullable S3Location s3) {

    public RestoreTarget {
        // Not List.copyOf: a null element is the validator's to name (400), not a failure to read the body.
        securityGroupIds =
                securityGroupIds == null ? null : Collections.unmodifiableList(new ArrayList<>(securityGroupIds));
    }

    /** A target without the instance overrides or the files fields. */
    public RestoreTarget(
            String type, @Nullable String availabilityZone, @Nullable String instanceType, @Nullable String subnetId) {
        this(type, availabilityZone, instanceType, subnetId, null, null, null, null);
    }

    /** A target with the instance overrides, without the files fields. */
    public RestoreTarget(
            String type,
            @Nullable String availabilityZone,
            @Nullable String instanceType,
            @Nullable String subnetId,
            @Nullable List<String> securityGroupIds,
            @Nullable String kmsKeyId,
            @Nullable Boolean noPublicIp,
            @Nullable Boolean keepImage) {
        this(
                type,
                availabilityZone,
                instanceType,
                subnetId,
                securityGroupIds,
                kmsKeyId,
                noPublicIp,
                keepImage,
                null,
                null,
                null);
    }

    /** An S3 location: a bucket and a key prefix (may be absent: the bucket's root). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record S3Location(
            @Nullable String bucket, @Nullable String prefix) {}

    /** The fields of a files restore this target gives (a target of another type must give none). */
    List<String> filesFields() {
        var given = new ArrayList<String>();
        if (volume != null) {
            given.add("target.volume");
        }
        if (paths != null) {
            given.add("target.paths");
        }
        if (s3 != null) {
            given.add("target.s3");
        }
        return given;
    }

    /** This target with the files restore fields its job's parameters hold, if it is one. */
    RestoreTarget withFilesOf(Map<String, String> parameters) {
        if (!FilesRestores.TARGET_TYPE.equals(type)) {
            return this;
        }
        return new RestoreTarget(
                type,
                availabilityZone,
                instanceType,
                subnetId,
                securityGroupIds,
                kmsKeyId,
                noPublicIp,
                keepImage,
                parameters.get(FilesRestores.VOLUME),
                List.copyOf(FilesRestores.paths(parameters)),
                new S3Location(parameters.get(FilesRestores.BUCKET), parameters.get(FilesRestores.PREFIX)));
    }
}
