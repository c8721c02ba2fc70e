package io.cloudconnector.jobstatus.job;

import io.cloudconnector.common.event.AssetChanged;
import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobProvisioning;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The events this service consumes from its inbox (the connector stack's rule routes exactly these): each job event
 * goes whole to {@link JobService#apply}; {@code VaultCreated} and {@code AssetChanged} teach the {@link NameDirectory}
 * the names jobs are shown with.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobsProperties.class)
class JobConfiguration {

    @Bean
    EventHandler<JobCreated> jobCreatedHandler(JobService jobs) {
        return EventHandler.of(JobCreated.class, (envelope, event) -> jobs.apply(envelope));
    }

    @Bean
    EventHandler<JobProvisioning> jobProvisioningHandler(JobService jobs) {
        return EventHandler.of(JobProvisioning.class, (envelope, event) -> jobs.apply(envelope));
    }

    @Bean
    EventHandler<JobStarted> jobStartedHandler(JobService jobs) {
        return EventHandler.of(JobStarted.class, (envelope, event) -> jobs.apply(envelope));
    }

    @Bean
    EventHandler<JobProgressed> jobProgressedHandler(JobService jobs) {
        return EventHandler.of(JobProgressed.class, (envelope, event) -> jobs.apply(envelope));
    }

    @Bean
    EventHandler<JobSucceeded> jobSucceededHandler(JobService jobs) {
        return EventHandler.of(JobSucceeded.class, (envelope, event) -> jobs.apply(envelope));
    }

    @Bean
    EventHandler<JobFailed> jobFailedHandler(JobService jobs) {
        return EventHandler.of(JobFailed.class, (envelope, event) -> jobs.apply(envelope));
    }

    @Bean
    EventHandler<JobCancelled> jobCancelledHandler(JobService jobs) {
        return EventHandler.of(JobCancelled.class, (envelope, event) -> jobs.apply(envelope));
    }

    @Bean
    EventHandler<VaultCreated> vaultNameHandler(NameDirectory names) {
        return EventHandler.of(VaultCreated.class, names::vaultCreated);
    }

    @Bean
    EventHandler<AssetChanged> assetNameHandler(NameDirectory names) {
        return EventHandler.of(AssetChanged.class, names::assetChanged);
    }
}
