package io.cloudconnector.jobstatus;

import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventProducers;
import io.cloudconnector.common.event.EventTypes;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Base of the service's integration tests: the real server against the connector stack in a fresh
 * emulator. Each class closes its context afterwards, because the next class resets the emulator and a
 * leftover listener would compete for the new inbox.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // The emulator shares two cores with builds; SDK retries stay off, but an attempt may take longer.
        properties = {"spring.cloud.aws.sqs.listener.poll-timeout=1s", "connector.aws.call-attempt-timeout=30s"})
@DirtiesContext
public abstract class JobstatusIntegrationTests extends ServiceIntegrationTests {

    @Autowired
    EventBridgeClient events;

    @Autowired
    EventCodec codec;

    @Autowired
    ConnectorProperties connector;

    @Autowired
    Clock clock;

    @Override
    protected String listPath() {
        return "/v1/jobs";
    }

    @Override
    protected String listScope() {
        return Scopes.JOBS_READ;
    }

    /**
     * Publishes each event on its own on the connector's bus, as its producer does: under the source of
     * background-jobs when it may produce the event (as a worker does), else of the first service that may.
     */
    protected void publish(String jobId, ConnectorEvent... events) {
        for (var event : events) {
            var type = EventTypes.typeOf(event);
            var producer = EventProducers.mayProduce("cloudconnector.background-jobs", type)
                    ? "background-jobs"
                    : EventProducers.producersOf(type).stream()
                            .map(EventProducers.Producer::service)
                            .sorted()
                            .findFirst()
                            .orElseThrow(() -> new IllegalArgumentException(type + " never travels on the bus"));
            new EventPublisher(this.events, codec, connector.eventBus(), producer, connector.id(), clock)
                    .publish(event, jobId);
        }
    }
}
