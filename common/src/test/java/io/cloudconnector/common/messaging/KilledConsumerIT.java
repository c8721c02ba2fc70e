package io.cloudconnector.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.awspring.cloud.sqs.listener.MessageListenerContainerRegistry;
import io.cloudconnector.common.CommonTestApplication;
import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.messaging.ProcessedEvents.Claim;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A consumer killed mid-handler, against SQS and DynamoDB in the emulator: it received the message and claimed
 * the event's processing lease, then never finished. The message comes back to the other consumer (the service's
 * listener), which is told the event is busy; the message then stays hidden until the dead consumer's lease runs
 * out, so the next receive takes the event over: handled once, after the lease, and never dead-lettered.
 *
 * <p>The inbox here has the template's redrive ({@code maxReceiveCount} 5) with a shorter visibility (3 s) and a
 * shorter lease (20 s), the same proportions as production (60 s and 90 s): a fixed 5 s retry of a busy event
 * would spend the 5 receives in about 18 s, before the lease runs out, and dead-letter it.
 */
@WithAwsEmulator
@SpringBootTest(
        classes = {CommonTestApplication.class, KilledConsumerIT.ShortLease.class},
        properties = {
            "connector.service=catalog",
            "connector.inbox-queue=" + KilledConsumerIT.INBOX,
            "spring.cloud.aws.sqs.listener.poll-timeout=1s"
        })
class KilledConsumerIT {

    static final String INBOX = "cc-test-killed-consumer-inbox";
    private static final String DLQ = INBOX + "-dlq";
    private static final Duration LEASE = Duration.ofSeconds(20);
    private static final int VISIBILITY_SECONDS = 3;
    private static final int MAX_RECEIVES = 5;
    private static final TestTokens TOKENS = TestTokens.es256();

    private static SqsClient sqs;
    private static String inboxUrl;
    private static String dlqUrl;
    private static DynamoDbClient dynamo;

    @DynamicPropertySource
    static void connector(DynamicPropertyRegistry registry) {
        registry.add("connector.id", () -> TestTokens.CONNECTOR_ID);
        registry.add("connector.security.public-key", TOKENS::publicKeyPem);
    }

    @BeforeAll
    static void inboxWithADeadLetterQueue(AwsEmulator emulator) {
        ConnectorStack.deploy(emulator);
        AwsClientFactory clients = ConnectorStack.clients(emulator);
        sqs = clients.sync(SqsClient.builder());
        dynamo = clients.sync(DynamoDbClient.builder());
        dlqUrl = sqs.createQueue(b -> b.queueName(DLQ)).queueUrl();
        var dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        inboxUrl = sqs.createQueue(b -> b.queueName(INBOX)
                        .attributes(Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                String.valueOf(VISIBILITY_SECONDS),
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + MAX_RECEIVES
                                        + "\"}")))
                .queueUrl();
    }

    /** The lease every consumer of this test takes, shorter than production's to keep the test short. */
    @TestConfiguration
    static class ShortLease {

        final List<Instant> handled = new CopyOnWriteArrayList<>();

        @Bean
        ProcessedEvents shortLeaseProcessedEvents(DynamoDbClient dynamo, ServiceTable table, Clock clock) {
            return new ProcessedEvents(dynamo, table, clock, LEASE, Duration.ofDays(7));
        }

        @Bean
        EventHandler<JobCancelled> recordCancelled() {
            return EventHandler.of(JobCancelled.class, (envelope, event) -> handled.add(Instant.now()));
        }
    }

    @Autowired
    ShortLease consumer;

    @Autowired
    EventCodec codec;

    @Autowired
    MessageListenerContainerRegistry listeners;

    @Test
    void aKilledConsumersEventIsHandledOnceByAnotherAfterItsLeaseAndNeverDeadLettered() {
        var envelope =
                EventEnvelope.wrap(new JobCancelled("j-killed"), TestTokens.CONNECTOR_ID, null, Clock.systemUTC());
        var listener = Objects.requireNonNull(listeners.getContainerById("connector-inbox"));

        // The consumer that dies: with the service's listener stopped, it alone receives the message and claims the
        // event, as its dispatcher does before running the handlers; then it is killed (it never answers again).
        listener.stop();
        sqs.sendMessage(b -> b.queueUrl(inboxUrl)
                .messageBody(io.cloudconnector.common.testing.BusEvents.fromBus(
                        codec, "cloudconnector.background-jobs", envelope)));
        var received = sqs.receiveMessage(b -> b.queueUrl(inboxUrl).waitTimeSeconds(10))
                .messages();
        assertThat(received).hasSize(1);
        var dying = new ProcessedEvents(
                dynamo, new ServiceTable(dynamo, "cc-test-catalog"), Clock.systemUTC(), LEASE, Duration.ofDays(7));
        var claimedAt = Instant.now();
        assertThat(dying.claim(envelope.id(), envelope.type())).isEqualTo(Claim.ACQUIRED);

        // The other consumer.
        listener.start();

        await().atMost(LEASE.multipliedBy(3)).until(() -> !consumer.handled.isEmpty() || messages(dlqUrl) > 0);
        assertThat(messages(dlqUrl)).as("messages dead-lettered").isZero();
        await().atMost(Duration.ofSeconds(30)).until(this::inboxIsEmpty);

        assertThat(consumer.handled).hasSize(1);
        assertThat(consumer.handled.getFirst()).isAfterOrEqualTo(claimedAt.plus(LEASE));
        assertThat(messages(dlqUrl)).isZero();
        assertThat(dying.claim(envelope.id(), envelope.type())).isEqualTo(Claim.ALREADY_DONE);
    }

    private boolean inboxIsEmpty() {
        return messages(inboxUrl) == 0;
    }

    private static int messages(String queueUrl) {
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }
}
