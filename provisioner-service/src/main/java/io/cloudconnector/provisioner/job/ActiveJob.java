package io.cloudconnector.provisioner.job;

/** A job of a vault that needs its ScaleZ server: queued ({@code started} false) or running. */
public record ActiveJob(String jobId, String vaultId, boolean started, boolean provisioningAnnounced) {}
