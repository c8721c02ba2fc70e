package io.cloudconnector.common.diagnostics;

/** The answer to a ping: its id, to look up receipts with. */
public record PingAccepted(String pingId, String fromService) {}
