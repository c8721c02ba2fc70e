package io.cloudconnector.scalez.blob;

/**
 * An S3 Object Lock retention mode. {@code GOVERNANCE}: a caller allowed {@code s3:BypassGovernanceRetention} may
 * shorten or lift it; {@code COMPLIANCE}: nobody can, until it ends.
 */
public enum LockMode {
    GOVERNANCE,
    COMPLIANCE
}
