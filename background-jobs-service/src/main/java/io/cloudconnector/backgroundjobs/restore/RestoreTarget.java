package io.cloudconnector.backgroundjobs.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;

/**
 * Where a recovery point is restored to.
 *
 * @param type {@code ebs-snapshot}, {@code ebs-volume} (an EBS recovery point) or {@code ec2-instance} (an EC2 one)
 * @param availabilityZone for {@code ebs-volume}: where the volume is created (default: the original volume's)
 * @param instanceType for {@code ec2-instance}: overrides the original type
 * @param subnetId for {@code ec2-instance}: overrides the original subnet
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreTarget(
        @NotBlank String type,
        @Nullable String availabilityZone,
        @Nullable String instanceType,
        @Nullable String subnetId) {}
