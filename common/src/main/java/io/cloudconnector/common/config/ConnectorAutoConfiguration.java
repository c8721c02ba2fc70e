package io.cloudconnector.common.config;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.diagnostics.DiagnosticsController;
import io.cloudconnector.common.diagnostics.PingReceipts;
import io.cloudconnector.common.event.ConnectorPinged;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.messaging.AwsEventHandler;
import io.cloudconnector.common.messaging.EventHandler;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.messaging.ProcessedEvents;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.store.TableHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every service gets by depending on {@code common}: AWS clients built alike, its table, the event
 * publisher, the inbox consumer with deduplication, idempotency keys, table health, and the diagnostic ping
 * endpoints.
 */
@AutoConfiguration(beforeName = "io.awspring.cloud.autoconfigure.sqs.SqsAutoConfiguration")
@EnableConfigurationProperties({ConnectorProperties.class, AwsProperties.class})
public class ConnectorAutoConfiguration {

    /** How long the inbox remembers handled event ids; longer than SQS keeps a message (4 days). */
    static final Duration PROCESSED_EVENT_RETENTION = Duration.ofDays(7);
    /**
     * How long a claim on an event holds before a redelivery may take over: handlers finish in seconds. A
     * redelivery that finds the event claimed comes back when the lease runs out (see {@link InboxDispatcher}), so
     * a consumer that dies mid-handler costs its event two or three of the queue's 5 receives, not all of them.
     */
    static final Duration PROCESSING_LEASE = Duration.ofSeconds(90);
    /** Longer than the longest long poll SQS allows (20 s). */
    static final Duration SQS_ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    AwsClientFactory awsClientFactory(AwsProperties properties) {
        return new AwsClientFactory(properties);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    DynamoDbClient dynamoDbClient(AwsClientFactory factory) {
        return factory.sync(DynamoDbClient.builder());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    EventBridgeClient eventBridgeClient(AwsClientFactory factory) {
        return factory.sync(EventBridgeClient.builder());
    }

    /**
     * The inbox listener long-polls (up to 20 s a receive): its client's per-attempt timeout must outlast a
     * poll, or every empty poll would end as a timeout.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SqsAsyncClient sqsAsyncClient(AwsProperties properties) {
        return new AwsClientFactory(properties.withCallTimeouts(
                        SQS_ATTEMPT_TIMEOUT, SQS_ATTEMPT_TIMEOUT.multipliedBy(properties.maxAttempts())))
                .async(SqsAsyncClient.builder());
    }

    @Bean
    @ConditionalOnMissingBean
    EventCodec eventCodec() {
        return EventCodec.standard();
    }

    @Bean
    @ConditionalOnMissingBean
    ServiceTable serviceTable(DynamoDbClient dynamo, ConnectorProperties connector) {
        return new ServiceTable(dynamo, connector.table());
    }

    /** The answers of keyed create requests, recorded in the service's table; JSON as the web layer writes it. */
    @Bean
    @ConditionalOnMissingBean
    Idempotency idempotency(DynamoDbClient dynamo, ServiceTable table, ObjectProvider<JsonMapper> json, Clock clock) {
        return new Idempotency(dynamo, table, json.getIfAvailable(EventCodec::standardMapper), clock);
    }

    @Bean
    TableHealthIndicator tableHealthIndicator(ServiceTable table) {
        return new TableHealthIndicator(table);
    }

    @Bean
    @ConditionalOnMissingBean
    EventPublisher eventPublisher(
            EventBridgeClient events, EventCodec codec, ConnectorProperties connector, Clock clock) {
        return new EventPublisher(events, codec, connector.eventBus(), connector.service(), connector.id(), clock);
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessedEvents processedEvents(DynamoDbClient dynamo, ServiceTable table, Clock clock) {
        return new ProcessedEvents(dynamo, table, clock, PROCESSING_LEASE, PROCESSED_EVENT_RETENTION);
    }

    @Bean
    InboxDispatcher inboxDispatcher(
            EventCodec codec,
            ProcessedEvents processed,
            ObjectProvider<EventHandler<?>> handlers,
            ObjectProvider<AwsEventHandler> awsHandlers,
            ObjectProvider<MeterRegistry> meters) {
        return new InboxDispatcher(
                codec,
                processed,
                handlers.orderedStream().toList(),
                awsHandlers.orderedStream().toList(),
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    PingReceipts pingReceipts(ServiceTable table, ConnectorProperties connector, Clock clock) {
        return new PingReceipts(table, connector.service(), clock);
    }

    @Bean
    EventHandler<ConnectorPinged> connectorPingedHandler(PingReceipts receipts) {
        return EventHandler.of(ConnectorPinged.class, receipts::received);
    }

    @Bean
    @ConditionalOnWebApplication
    DiagnosticsController diagnosticsController(
            EventPublisher publisher, PingReceipts receipts, ConnectorProperties connector) {
        return new DiagnosticsController(publisher, receipts, connector.service());
    }
}
