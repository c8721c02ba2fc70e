package io.cloudconnector.catalog.vault;

import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.web.InvalidInputException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * {@code POST /v1/vaults}. {@code scalezCapacity} is kept as text so that an unknown value is refused as a
 * 400 naming the field (a Jackson enum failure would only say the body is malformed); see {@link #capacity()}.
 * {@code objectLock} tells three cases apart: absent (null here: the connector's default lock), {@code null} in the
 * body (empty: a choice of none), or a lock; see {@link ObjectLockChoiceReader}.
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

        @JsonDeserialize(using = ObjectLockChoiceReader.class) @SuppressWarnings("NullableOptional") @Nullable
        Optional<@Valid ObjectLock> objectLock,

        @Nullable String scalezCapacity) {

    /** The lock the vault gets: {@code defaultLock} when the request did not mention one, none when it said null. */
    @Nullable
    ObjectLock lock(@Nullable ObjectLock defaultLock) {
        return objectLock == null ? defaultLock : objectLock.orElse(null);
    }

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
