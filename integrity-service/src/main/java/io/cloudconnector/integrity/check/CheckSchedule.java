package io.cloudconnector.integrity.check;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Repeats the account checks on {@code connector.integrity.checks.schedule} (daily at 03:15 UTC by default). */
@Component
@Profile("!worker")
class CheckSchedule {

    private final CheckJobs jobs;
    private final Clock clock;

    CheckSchedule(CheckJobs jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    @Scheduled(cron = "${connector.integrity.checks.schedule:0 15 3 * * *}", zone = "UTC")
    void daily() {
        today();
    }

    /** Every replica fires; the key of the day lets only the first start a run. Returns the day's job. */
    String today() {
        return jobs.start("scheduled-" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }
}
