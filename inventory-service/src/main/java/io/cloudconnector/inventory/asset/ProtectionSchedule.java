package io.cloudconnector.inventory.asset;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The periodic protection pass on every replica ({@code inventory.protection-check-interval}, 1 min): time alone
 * makes a recovery point too old, so no event announces that change. Replicas passing at once are harmless: every
 * status write is conditional, so each change is published once.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ProtectionSchedule implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ProtectionSchedule.class);

    private final ProtectionStatuses statuses;
    private final Duration interval;

    ProtectionSchedule(
            ProtectionStatuses statuses, @Value("${inventory.protection-check-interval:1m}") Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("inventory.protection-check-interval must be positive, was " + interval);
        }
        this.statuses = statuses;
        this.interval = interval;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(this::pass, interval, interval));
    }

    private void pass() {
        try {
            int changed = statuses.pass();
            if (changed > 0) {
                log.info("The protection pass changed the status of {} assets", changed);
            }
        } catch (RuntimeException e) {
            log.error("The protection pass failed; it runs again at the next tick", e);
        }
    }
}
