package io.cloudconnector.backgroundjobs.policy;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.EventTypes;
import io.cloudconnector.common.event.PolicyTick;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.Target;

/**
 * One EventBridge Scheduler schedule per policy, named by the policy id, in the connector stack's schedule group:
 * its expression and time zone, {@code DISABLED} while the policy is paused, a flexible window of the policy's start
 * window, and the target this service's inbox with a {@code PolicyTick} envelope. Scheduler fills in the envelope's
 * id and times from its context attributes (the execution id, unique per firing, and the scheduled time), so the
 * inbox sees a well-formed event and the run id comes from the scheduled time.
 */
final class SchedulerPolicySchedules implements PolicySchedules {

    private static final Logger log = LoggerFactory.getLogger(SchedulerPolicySchedules.class);

    private final SchedulerClient scheduler;
    private final String group;
    private final Supplier<String> roleArn;
    private final Supplier<String> inboxArn;
    private final String connectorId;

    /**
     * @param roleArn the role Scheduler assumes, and {@code inboxArn} the target queue: asked for at the first
     *     schedule written (so a service that never writes one never looks them up)
     */
    SchedulerPolicySchedules(
            SchedulerClient scheduler,
            String group,
            Supplier<String> roleArn,
            Supplier<String> inboxArn,
            String connectorId) {
        this.scheduler = scheduler;
        this.group = group;
        this.roleArn = roleArn;
        this.inboxArn = inboxArn;
        this.connectorId = connectorId;
    }

    @Override
    public void put(Policy policy) {
        var target = Target.builder()
                .arn(inboxArn.get())
                .roleArn(roleArn.get())
                .input(input(policy.id(), connectorId))
                .retryPolicy(r -> r.maximumEventAgeInSeconds(
                                Math.max(60, policy.schedule().startWindowMinutes() * 60))
                        .maximumRetryAttempts(10))
                .build();
        var state = policy.paused() ? ScheduleState.DISABLED : ScheduleState.ENABLED;
        int window = policy.schedule().startWindowMinutes();
        try {
            scheduler.updateSchedule(b -> b.name(policy.id())
                    .groupName(group)
                    .scheduleExpression(policy.schedule().expression())
                    .scheduleExpressionTimezone(policy.schedule().timezone())
                    .state(state)
                    .flexibleTimeWindow(
                            f -> f.mode(FlexibleTimeWindowMode.FLEXIBLE).maximumWindowInMinutes(Math.min(window, 1440)))
                    .target(target)
                    .description("Protection policy " + policy.name()));
            log.info(
                    "Schedule of policy {} updated ({}, {})",
                    policy.id(),
                    policy.schedule().expression(),
                    state);
        } catch (ResourceNotFoundException e) {
            try {
                scheduler.createSchedule(b -> b.name(policy.id())
                        .groupName(group)
                        .scheduleExpression(policy.schedule().expression())
                        .scheduleExpressionTimezone(policy.schedule().timezone())
                        .state(state)
                        .flexibleTimeWindow(f ->
                                f.mode(FlexibleTimeWindowMode.FLEXIBLE).maximumWindowInMinutes(Math.min(window, 1440)))
                        .actionAfterCompletion(ActionAfterCompletion.NONE)
                        .target(target)
                        .description("Protection policy " + policy.name()));
                log.info(
                        "Schedule of policy {} created ({}, {})",
                        policy.id(),
                        policy.schedule().expression(),
                        state);
            } catch (ConflictException raced) {
                // Another replica created it meanwhile: make it ours.
                put(policy);
            }
        }
    }

    @Override
    public void delete(String policyId) {
        try {
            scheduler.deleteSchedule(b -> b.name(policyId).groupName(group));
            log.info("Schedule of policy {} deleted", policyId);
        } catch (ResourceNotFoundException e) {
            log.debug("Policy {} had no schedule", policyId);
        }
    }

    /**
     * The target's input: a {@code PolicyTick} envelope, with Scheduler's context attributes for the id (the
     * execution id) and the times (the scheduled time).
     */
    static String input(String policyId, String connectorId) {
        return "{\"id\":\"<aws.scheduler.execution-id>\",\"type\":\"" + EventTypes.typeOf(PolicyTick.class)
                + "\",\"version\":1,\"time\":\"<aws.scheduler.scheduled-time>\",\"connectorId\":\"" + connectorId
                + "\",\"correlationId\":\"" + policyId + "\",\"payload\":{\"policyId\":\"" + policyId
                + "\",\"scheduledAt\":\"<aws.scheduler.scheduled-time>\"}}";
    }

    /** The envelope Scheduler sends, with its context attributes filled in (for tests and the local scheduler). */
    static EventEnvelope envelope(String policyId, String connectorId, String executionId, Instant scheduledAt) {
        return new EventEnvelope(
                executionId,
                EventTypes.typeOf(PolicyTick.class),
                EventTypes.CURRENT_VERSION,
                scheduledAt,
                connectorId,
                policyId,
                new PolicyTick(policyId, scheduledAt));
    }
}
