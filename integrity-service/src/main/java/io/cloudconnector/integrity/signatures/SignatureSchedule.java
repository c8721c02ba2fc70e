package io.cloudconnector.integrity.signatures;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Updates the signatures on {@code connector.integrity.signatures.schedule} (daily at 02:45 UTC by default). */
@Component
@Profile("!worker")
public class SignatureSchedule {

    private final SignatureUpdates updates;
    private final Clock clock;

    SignatureSchedule(SignatureUpdates updates, Clock clock) {
        this.updates = updates;
        this.clock = clock;
    }

    @Scheduled(cron = "${connector.integrity.signatures.schedule:0 45 2 * * *}", zone = "UTC")
    void daily() {
        today();
    }

    /** Every replica fires; the key of the day lets only the first start an update. Returns the day's job. */
    public String today() {
        return updates.start("scheduled-signatures-" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }
}
