package io.cloudconnector.common.event;

/**
 * The ScaleZ server a running job wrote through was interrupted (a spot reclaim) or lost: the job's owner should
 * run it again (or, if it finished meanwhile, ignore this). {@code serverId} is the provisioner's server id;
 * {@code reason} says what happened, e.g. {@code spot-interruption}.
 */
public record JobRequeueRequested(String jobId, String vaultId, String serverId, String reason)
        implements ConnectorEvent {}
