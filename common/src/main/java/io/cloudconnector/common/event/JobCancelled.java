package io.cloudconnector.common.event;

/** A job stopped because it was asked to. */
public record JobCancelled(String jobId) implements ConnectorEvent {}
