package io.cloudconnector.jobstatus.job;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.messaging.EventHandler;

/** Feeds one type of job event from the inbox to {@link JobService#apply}. */
record JobEventHandler<E extends ConnectorEvent>(Class<E> eventType, JobService jobs) implements EventHandler<E> {

    @Override
    public void handle(EventEnvelope envelope, E event) {
        jobs.apply(envelope);
    }
}
