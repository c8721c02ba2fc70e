package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.common.event.JobCancelRequested;
import io.cloudconnector.common.event.JobRequeueRequested;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The job events this service's inbox takes: cancel requests ({@link JobCancellation}) and requeues
 * ({@link JobRequeue}).
 */
@Configuration(proxyBeanMethods = false)
class JobEvents {

    @Bean
    EventHandler<JobCancelRequested> jobCancelRequestedHandler(JobCancellation cancellation) {
        return EventHandler.of(JobCancelRequested.class, cancellation::handle);
    }

    @Bean
    EventHandler<JobRequeueRequested> jobRequeueRequestedHandler(JobRequeue requeue) {
        return EventHandler.of(JobRequeueRequested.class, requeue::handle);
    }
}
