package io.cloudconnector.backgroundjobs;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.TestTokens;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The inboxes of the services this one talks to (catalog, jobstatus), which nothing consumes in these tests: what
 * background-jobs published reaches them through the real bus and rules, and the tests read it there.
 */
public final class OtherInboxes implements AutoCloseable {

    private final SqsClient sqs;
    private final EventCodec codec = EventCodec.standard();
    private final java.util.Map<String, List<EventEnvelope>> received = new java.util.HashMap<>();

    public OtherInboxes(AwsEmulator emulator) {
        this.sqs = ConnectorStack.clients(emulator).sync(SqsClient.builder());
    }

    /** Everything of one type that has arrived in {@code service}'s inbox so far. */
    public synchronized <E extends ConnectorEvent> List<E> of(String service, Class<E> type) {
        String url = sqs.getQueueUrl(b -> b.queueName(TestTokens.CONNECTOR_ID + "-" + service + "-inbox"))
                .queueUrl();
        while (true) {
            var messages = sqs.receiveMessage(
                            b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (messages.isEmpty()) {
                break;
            }
            for (var message : messages) {
                received.computeIfAbsent(service, k -> new ArrayList<>()).add(codec.decode(message.body()));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        List<E> events = new ArrayList<>();
        received.getOrDefault(service, List.of()).stream()
                .map(EventEnvelope::payload)
                .filter(type::isInstance)
                .map(type::cast)
                .forEach(events::add);
        return events;
    }

    @Override
    public void close() {
        sqs.close();
    }
}
