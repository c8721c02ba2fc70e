package io.cloudconnector.backgroundjobs.policy;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Protection policies ({@code connector.policies.*}).
 *
 * @param minInterval the shortest time allowed between two scheduled runs (15 minutes, as in production; lowered
 *     locally and in tests)
 * @param scheduler {@code aws}: one EventBridge Scheduler schedule per policy fires its ticks; {@code local}: this
 *     service's own scheduler does (the emulator stores schedules but never fires them)
 * @param localCheckInterval how often the local scheduler looks for due ticks
 * @param vaultConcurrency backups started by policies that run at once per vault; the rest wait queued
 * @param admissionParallelism how many of a run's assets are admitted at once (EC2 lookup, job write,
 *     {@code JobCreated}, launch), each on its own thread of a pool the run makes and closes; default 8 in AWS, 1
 *     against the emulator (its {@code TransactWriteItems} is not thread-safe)
 * @param scheduleGroup the Scheduler schedule group (default {@code <connectorId>-policies}, made by the stack)
 * @param schedulerRoleArn the role Scheduler assumes to send a tick to the inbox (the stack's output
 *     {@code PolicySchedulerRoleArn}); needed with {@code scheduler=aws}
 * @param inboxQueueArn this service's inbox queue ARN, the schedules' target (default: asked of SQS once)
 */
@ConfigurationProperties("connector.policies")
record PolicyProperties(
        @DefaultValue("15m") Duration minInterval,
        @DefaultValue("aws") String scheduler,
        @DefaultValue("10s") Duration localCheckInterval,
        @DefaultValue("8") int vaultConcurrency,
        @Nullable Integer admissionParallelism,
        @Nullable String scheduleGroup,
        @Nullable String schedulerRoleArn,
        @Nullable String inboxQueueArn) {

    boolean local() {
        return "local".equals(scheduler);
    }
}
