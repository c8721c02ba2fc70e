package io.cloudconnector.common.event;

import java.time.Instant;

/**
 * A protection policy's schedule fired: the owner of the policy runs it for {@code scheduledAt}. Sent straight to
 * the owner's inbox by EventBridge Scheduler in AWS, by the owner's in-process scheduler locally; never on the bus.
 *
 * @param scheduledAt the time the schedule fired for (a run's identity: the same tick twice is one run)
 */
public record PolicyTick(String policyId, Instant scheduledAt) implements ConnectorEvent {}
