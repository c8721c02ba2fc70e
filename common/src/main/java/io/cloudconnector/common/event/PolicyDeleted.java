package io.cloudconnector.common.event;

/** A protection policy was deleted; {@code version} is past its last {@link PolicyChanged}. */
public record PolicyDeleted(String policyId, long version) implements ConnectorEvent {}
