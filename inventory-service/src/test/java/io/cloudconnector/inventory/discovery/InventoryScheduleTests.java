package io.cloudconnector.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.cloudconnector.inventory.config.InventoryProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.config.IntervalTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

class InventoryScheduleTests {

    private final Resync resync = mock(Resync.class);
    private final DiscoveryJobs jobs = mock(DiscoveryJobs.class);

    @Test
    void checksForADueResyncATenthOfTheIntervalApartAndMaintainsAtItsOwnInterval() {
        var registrar = new ScheduledTaskRegistrar();
        new InventorySchedule(resync, jobs, properties(Duration.ofMinutes(15))).configureTasks(registrar);

        assertThat(registrar.getFixedDelayTaskList())
                .extracting(IntervalTask::getIntervalDuration, IntervalTask::getInitialDelayDuration)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Duration.ofSeconds(90), Duration.ofSeconds(30)),
                        org.assertj.core.groups.Tuple.tuple(Duration.ofMinutes(2), Duration.ofMinutes(2)));
        assertThat(Resync.checkEvery(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aFailingRunIsLoggedAndTheScheduleGoesOn() {
        willThrow(new IllegalStateException("table down")).given(jobs).failAbandoned();
        var registrar = new ScheduledTaskRegistrar();
        new InventorySchedule(resync, jobs, properties(Duration.ofMinutes(15))).configureTasks(registrar);
        given(resync.runIfDue()).willThrow(new IllegalStateException("EC2 down"));

        registrar.getFixedDelayTaskList().forEach(task -> task.getRunnable().run());

        verify(resync).runIfDue();
        verify(jobs).failAbandoned();
    }

    private static InventoryProperties properties(Duration resyncInterval) {
        return new InventoryProperties(
                resyncInterval,
                Duration.ofSeconds(30),
                Duration.ofHours(24),
                Duration.ofSeconds(5),
                500,
                8,
                Duration.ofMinutes(2),
                null);
    }
}
