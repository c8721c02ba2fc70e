package io.cloudconnector.common.event;

/** Someone asked for a job to stop; its worker stops and reports {@link JobCancelled}. */
public record JobCancelRequested(String jobId) implements ConnectorEvent {}
