package io.cloudconnector.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Reads what EventBridge delivered to the services' inbox queues. */
final class Inboxes {

    private static final int MAX_RECEIVES = 50;

    private final SqsClient sqs;

    Inboxes(SqsClient sqs) {
        this.sqs = sqs;
    }

    /**
     * Every message now in the queue, deleting them: short-polls until a receive comes back empty, at
     * most {@value #MAX_RECEIVES} times. Callers that wait for deliveries poll this with a bound.
     */
    List<Message> drain(String queueUrl) {
        var messages = new ArrayList<Message>();
        for (int i = 0; i < MAX_RECEIVES; i++) {
            var received = sqs.receiveMessage(request ->
                            request.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (received.isEmpty()) {
                return messages;
            }
            messages.addAll(received);
            received.forEach(message ->
                    sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle())));
        }
        throw new AssertionError(queueUrl + " still had messages after " + MAX_RECEIVES + " receives");
    }

    /** The EventBridge event a message carries. */
    static Map<String, Object> event(Message message) {
        return Json.parse(message.body());
    }

    /** The {@code detail} of the event a message carries. */
    static Map<String, Object> detail(Message message) {
        return Template.asMap(event(message).get("detail"));
    }
}
