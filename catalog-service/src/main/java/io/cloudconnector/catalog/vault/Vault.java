package io.cloudconnector.catalog.vault;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A vault as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Vault(
        String id,
        String name,
        String region,
        VaultStatus status,
        @Nullable String bucketName,
        @Nullable String kmsKeyArn,
        long recoveryPointCount,
        long storedBytes,
        Instant createdAt) {
}
