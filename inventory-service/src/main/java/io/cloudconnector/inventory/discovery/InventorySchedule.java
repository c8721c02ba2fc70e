package io.cloudconnector.inventory.discovery;

import io.cloudconnector.inventory.config.InventoryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The inventory's background work on every replica: the resync check ({@link Resync}, which also relays
 * unpublished changes), and maintenance: failing discovery jobs whose replica died.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class InventorySchedule implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(InventorySchedule.class);

    private final Resync resync;
    private final DiscoveryJobs jobs;
    private final InventoryProperties properties;

    InventorySchedule(Resync resync, DiscoveryJobs jobs, InventoryProperties properties) {
        this.resync = resync;
        this.jobs = jobs;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(
                () -> logFailure("resync", resync::runIfDue),
                Resync.checkEvery(properties.resyncInterval()),
                properties.resyncInitialDelay()));
        registrar.addFixedDelayTask(
                new FixedDelayTask(this::maintain, properties.maintenanceInterval(), properties.maintenanceInterval()));
    }

    void maintain() {
        logFailure("abandoned discovery jobs", jobs::failAbandoned);
    }

    /** A failed run is logged and tried again at the next tick; it must not stop the schedule. */
    private static void logFailure(String task, Runnable run) {
        try {
            run.run();
        } catch (RuntimeException e) {
            log.error("The inventory's {} failed; it runs again at the next tick", task, e);
        }
    }
}
