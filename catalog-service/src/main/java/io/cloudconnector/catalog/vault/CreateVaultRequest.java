package io.cloudconnector.catalog.vault;

import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.web.InvalidInputException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/vaults}. {@code scalezCapacity} is kept as text so that an unknown value is refused as a
 * 400 naming the field (a Jackson enum failure would only say the body is malformed); see {@link #capacity()}.
 */
public record CreateVaultRequest(
        @NotBlank
        @Size(max = 64)
        @Pattern(
                regexp = "[A-Za-z0-9][A-Za-z0-9 ._-]*",
                message = "must start with a letter or digit and hold only letters, digits, space, . _ -")
        String name,

        @NotBlank String region,

        @NotBlank @Pattern(regexp = "vpc-[0-9a-f]{8,17}", message = "must be a VPC id (vpc-…)")
        String vpcId,

        @NotEmpty @Size(max = 16)
        List<@NotBlank @Pattern(regexp = "subnet-[0-9a-f]{8,17}", message = "must be a subnet id (subnet-…)") String>
                subnetIds,

        @Valid @Nullable ObjectLock objectLock,
        @Nullable String scalezCapacity) {

    /** The capacity asked for: {@link ScalezCapacity#FARGATE_SPOT} when absent, else a 400 naming the field. */
    ScalezCapacity capacity() {
        if (scalezCapacity == null) {
            return ScalezCapacity.FARGATE_SPOT;
        }
        try {
            return WireNames.parse(ScalezCapacity.class, scalezCapacity);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("scalezCapacity", String.valueOf(e.getMessage()));
        }
    }
}
