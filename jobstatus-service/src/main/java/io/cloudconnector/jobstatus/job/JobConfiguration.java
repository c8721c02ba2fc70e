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

/** The job events this service consumes from its inbox (the connector stack's rule routes exactly these). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobsProperties.class)
class JobConfiguration {

    @Bean
    EventHandler<JobCreated> jobCreatedHandler(JobService jobs) {
        return new JobEventHandler<>(JobCreated.class, jobs);
    }

    @Bean
    EventHandler<JobProvisioning> jobProvisioningHandler(JobService jobs) {
        return new JobEventHandler<>(JobProvisioning.class, jobs);
    }

    @Bean
    EventHandler<JobStarted> jobStartedHandler(JobService jobs) {
        return new JobEventHandler<>(JobStarted.class, jobs);
    }

    @Bean
    EventHandler<JobProgressed> jobProgressedHandler(JobService jobs) {
        return new JobEventHandler<>(JobProgressed.class, jobs);
    }

    @Bean
    EventHandler<JobSucceeded> jobSucceededHandler(JobService jobs) {
        return new JobEventHandler<>(JobSucceeded.class, jobs);
    }

    @Bean
    EventHandler<JobFailed> jobFailedHandler(JobService jobs) {
        return new JobEventHandler<>(JobFailed.class, jobs);
    }

    @Bean
    EventHandler<JobCancelled> jobCancelledHandler(JobService jobs) {
        return new JobEventHandler<>(JobCancelled.class, jobs);
    }
}
