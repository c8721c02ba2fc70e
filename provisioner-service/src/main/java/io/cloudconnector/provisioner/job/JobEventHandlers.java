package io.cloudconnector.provisioner.job;

import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The job events that make demand: one thin handler per event type, each one call on {@link JobDemand}. */
@Configuration(proxyBeanMethods = false)
class JobEventHandlers {

    @Bean
    EventHandler<JobCreated> jobCreatedHandler(JobDemand demand) {
        return EventHandler.of(JobCreated.class, (envelope, e) -> demand.created(e.jobId(), e.kind(), e.vaultId()));
    }

    @Bean
    EventHandler<JobStarted> jobStartedHandler(JobDemand demand) {
        return EventHandler.of(JobStarted.class, (envelope, e) -> demand.reached(e.jobId(), JobDemand.STARTED));
    }

    @Bean
    EventHandler<JobSucceeded> jobSucceededHandler(JobDemand demand) {
        return EventHandler.of(JobSucceeded.class, (envelope, e) -> demand.reached(e.jobId(), JobDemand.FINISHED));
    }

    @Bean
    EventHandler<JobFailed> jobFailedHandler(JobDemand demand) {
        return EventHandler.of(JobFailed.class, (envelope, e) -> demand.reached(e.jobId(), JobDemand.FINISHED));
    }

    @Bean
    EventHandler<JobCancelled> jobCancelledHandler(JobDemand demand) {
        return EventHandler.of(JobCancelled.class, (envelope, e) -> demand.reached(e.jobId(), JobDemand.FINISHED));
    }
}
