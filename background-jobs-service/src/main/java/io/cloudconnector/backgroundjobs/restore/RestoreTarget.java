package io.cloudconnector.backgroundjobs.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a recovery point is restored to.
 *
 * @param type {@code ebs-snapshot}, {@code ebs-volume} (an EBS recovery point) or {@code ec2-instance} (an EC2 one)
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
        @Nullable Boolean keepImage) {

    public RestoreTarget {
        // Not List.copyOf: a null element is the validator's to name (400), not a failure to read the body.
        securityGroupIds =
                securityGroupIds == null ? null : Collections.unmodifiableList(new ArrayList<>(securityGroupIds));
    }

    /** A target without the instance overrides. */
    public RestoreTarget(
            String type, @Nullable String availabilityZone, @Nullable String instanceType, @Nullable String subnetId) {
        this(type, availabilityZone, instanceType, subnetId, null, null, null, null);
    }
}
