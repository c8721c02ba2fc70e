package io.cloudconnector.common.event;

/** A queued job is waiting for its compute (a ScaleZ server, a Batch or ECS task) before it can start. */
public record JobProvisioning(String jobId) implements ConnectorEvent {}
