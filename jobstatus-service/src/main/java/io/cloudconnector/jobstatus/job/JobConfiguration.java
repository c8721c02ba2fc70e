package io.cloudconnector.jobstatus.job;

import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.JobProvisioning;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The job events this service consumes from its inbox (the connector stack's rule routes exactly these): each goes
 * whole to {@link JobService#apply}.
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
}
