package io.cloudconnector.backgroundjobs.restoretest;

import jakarta.validation.constraints.NotBlank;

/** {@code POST /v1/restore-tests}: test that a recovery point restores and reads back whole. */
record CreateRestoreTestRequest(@NotBlank String recoveryPointId) {}
