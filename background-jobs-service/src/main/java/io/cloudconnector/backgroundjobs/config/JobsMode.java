package io.cloudconnector.backgroundjobs.config;

/** Where jobs run. */
public enum JobsMode {
    /** On the vault's AWS Batch queue, one container per job (production). */
    AWS,
    /** On a bounded executor inside this service (the local stack: the emulator's Batch runs nothing). */
    LOCAL
}
