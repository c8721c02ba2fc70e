package io.cloudconnector.common.event;

/**
 * A diagnostic event every service consumes: it proves the path from one service through the bus and
 * the rules to every inbox and listener.
 */
public record ConnectorPinged(String pingId, String fromService) implements ConnectorEvent {}
