package io.cloudconnector.backgroundjobs.maintenance;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Looks every {@code connector.jobs.maintenance-schedule-check} (5 minutes) for vaults whose daily maintenance is due,
 * in the service only (never in a worker).
 */
@Component
@ConditionalOnWebApplication
class MaintenanceScheduler {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceScheduler.class);

    private final MaintenanceRequests requests;

    MaintenanceScheduler(MaintenanceRequests requests) {
        this.requests = requests;
    }

    @Scheduled(
            initialDelayString = "${connector.jobs.maintenance-schedule-check:5m}",
            fixedDelayString = "${connector.jobs.maintenance-schedule-check:5m}")
    void startDue() {
        try {
            requests.startDue();
        } catch (RuntimeException e) {
            log.warn(
                    "Starting the scheduled vault maintenance failed; trying again at the next look: {}",
                    e.getMessage());
        }
    }
}
