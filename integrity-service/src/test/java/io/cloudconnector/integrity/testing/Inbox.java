package io.cloudconnector.integrity.testing;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Another service's inbox in the emulator, read by a test to see what the integrity service published
 * (that service does not run in the test, so its messages stay there).
 */
public final class Inbox {

    private final SqsClient sqs;
    private final String url;
    private final EventCodec codec = EventCodec.standard();
    private final List<EventEnvelope> received = new ArrayList<>();

    public Inbox(SqsClient sqs, String queueName) {
        this.sqs = sqs;
        this.url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
    }

    /** Every event received so far (reads what has arrived since the last call). */
    public synchronized List<EventEnvelope> events() {
        while (true) {
            var messages = sqs.receiveMessage(
                            b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (messages.isEmpty()) {
                return List.copyOf(received);
            }
            for (var message : messages) {
                received.add(codec.decode(message.body()));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
    }

    /** The payloads of one type received so far. */
    public <E extends ConnectorEvent> List<E> events(Class<E> type) {
        return events().stream()
                .map(EventEnvelope::payload)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }
}
