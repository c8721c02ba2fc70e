package io.cloudconnector.backgroundjobs.restore;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** {@code POST /v1/restores}: restore a recovery point into a new snapshot, volume or instance. */
record CreateRestoreRequest(
        @NotBlank String recoveryPointId, @NotNull @Valid RestoreTarget target) {}
