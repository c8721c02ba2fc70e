package io.cloudconnector.backgroundjobs.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.PolicyTick;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;

/**
 * A policy's EventBridge Scheduler schedule, written through the Scheduler API into the schedule group the connector
 * stack makes, against the emulator (which stores schedules and never fires them): created, updated, disabled while
 * paused, deleted; its target's input is the tick envelope the inbox decodes once Scheduler fills in its context.
 */
@WithAwsEmulator
class SchedulerPolicySchedulesIT {

    private static Policy policy(String expression, boolean paused) {
        var now = Instant.parse("2026-12-07T10:00:00Z");
        return new Policy(
                "pol-01JD3ZRX5KQ0M8YV5D3M0RZ2J4",
                "nightly",
                "vlt-01jd3zrx5kq0m8yv5d3m0rz2j4",
                new Policy.Schedule(expression, "Europe/Berlin", 30),
                new Policy.Selection(List.of(), Map.of("backup", "nightly"), List.of()),
                null,
                false,
                paused,
                paused ? Policy.PAUSED_BY_USER : null,
                1,
                now,
                now,
                now,
                1440,
                null);
    }

    @Test
    void aPolicysScheduleIsCreatedUpdatedPausedAndDeletedInTheStacksGroup(AwsEmulator emulator) {
        var outputs = ConnectorStack.deploy(emulator);
        String group = TestTokens.CONNECTOR_ID + "-policies";
        // The stack makes the role with the services' compute (not in local mode); the emulator checks no role.
        String role = "arn:aws:iam::" + AwsEmulator.ACCOUNT_ID + ":role/cloudconnector/" + TestTokens.CONNECTOR_ID
                + "/policy-scheduler";
        String inbox = "arn:aws:sqs:" + emulator.region() + ":" + AwsEmulator.ACCOUNT_ID + ":" + TestTokens.CONNECTOR_ID
                + "-background-jobs-inbox";
        try (var scheduler = ConnectorStack.clients(emulator).sync(SchedulerClient.builder())) {
            if (!outputs.containsKey("PolicyScheduleGroupName")) {
                // moto 5.2's CloudFormation skips AWS::Scheduler::ScheduleGroup (as it skips AWS::Scheduler::Schedule)
                // and the output naming it: the group the template declares is made here, by the same name.
                scheduler.createScheduleGroup(b -> b.name(group));
            }
            assertThat(scheduler.getScheduleGroup(b -> b.name(group)).name()).isEqualTo(group);
            var schedules =
                    new SchedulerPolicySchedules(scheduler, group, () -> role, () -> inbox, TestTokens.CONNECTOR_ID);
            var policy = policy("cron(0 3 * * ? *)", false);

            schedules.put(policy);

            var created = scheduler.getSchedule(b -> b.name(policy.id()).groupName(group));
            assertThat(created.scheduleExpression()).isEqualTo("cron(0 3 * * ? *)");
            assertThat(created.scheduleExpressionTimezone()).isEqualTo("Europe/Berlin");
            assertThat(created.state()).isEqualTo(ScheduleState.ENABLED);
            assertThat(created.flexibleTimeWindow().mode()).isEqualTo(FlexibleTimeWindowMode.FLEXIBLE);
            assertThat(created.flexibleTimeWindow().maximumWindowInMinutes()).isEqualTo(30);
            assertThat(created.target().arn()).isEqualTo(inbox);
            assertThat(created.target().roleArn()).isEqualTo(role);
            // What Scheduler sends once it fills in its context attributes is a tick the inbox decodes.
            String sent = created.target()
                    .input()
                    .replace("<aws.scheduler.execution-id>", "8a4e2f1c-3b7d-4c1e-9f0a-5d6b7c8e9f01")
                    .replace("<aws.scheduler.scheduled-time>", "2026-12-08T02:00:00Z");
            var tick = EventCodec.standard().decode(sent);
            assertThat(tick.payload()).isEqualTo(new PolicyTick(policy.id(), Instant.parse("2026-12-08T02:00:00Z")));
            assertThat(tick.connectorId()).isEqualTo(TestTokens.CONNECTOR_ID);

            schedules.put(policy("rate(4 hours)", false));
            assertThat(scheduler
                            .getSchedule(b -> b.name(policy.id()).groupName(group))
                            .scheduleExpression())
                    .isEqualTo("rate(4 hours)");

            schedules.put(policy("rate(4 hours)", true));
            assertThat(scheduler
                            .getSchedule(b -> b.name(policy.id()).groupName(group))
                            .state())
                    .isEqualTo(ScheduleState.DISABLED);

            schedules.delete(policy.id());
            assertThatThrownBy(
                            () -> scheduler.getSchedule(b -> b.name(policy.id()).groupName(group)))
                    .isInstanceOf(ResourceNotFoundException.class);
            // Deleting again (a repeated DELETE) is no error.
            schedules.delete(policy.id());
        }
    }
}
