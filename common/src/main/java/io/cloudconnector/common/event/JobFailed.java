package io.cloudconnector.common.event;

/** A job stopped with an error; {@code code} is stable and machine-readable, {@code message} is for people. */
public record JobFailed(String jobId, String code, String message) implements ConnectorEvent {}
