package io.cloudconnector.common.event;

/** A job finished successfully; {@code result} names what it produced. */
public record JobSucceeded(String jobId, JobResult result) implements ConnectorEvent {}
