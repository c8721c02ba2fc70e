package io.cloudconnector.common.event;

import org.jspecify.annotations.Nullable;

/** A worker began running a job. */
public record JobStarted(String jobId, @Nullable Long bytesTotal) implements ConnectorEvent {}
