package io.cloudconnector.backgroundjobs.policy;

import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Locally ({@code connector.policies.scheduler=local}), what EventBridge Scheduler does in AWS: every
 * {@code connector.policies.local-check-interval} it looks for policies whose schedule came due and sends a
 * {@code PolicyTick} for the latest due time into this service's inbox queue, so the tick takes the same path as
 * Scheduler's. Each policy has a cursor (the last time ticked), moved by a conditional write before the tick is sent,
 * so each due time is sent once. A tick that came due while the service was down is sent on start like any other,
 * for its latest due time only; the run decides: inside the start window it runs, after it the run is recorded
 * {@code missed}.
 */
class LocalPolicyScheduler {

    private static final Logger log = LoggerFactory.getLogger(LocalPolicyScheduler.class);

    /** Sends a tick into the inbox. */
    interface TickSender {
        void send(EventEnvelope tick);
    }

    private final PolicyStore policies;
    private final TickSender sender;
    private final String connectorId;
    private final Clock clock;

    LocalPolicyScheduler(PolicyStore policies, TickSender sender, String connectorId, Clock clock) {
        this.policies = policies;
        this.sender = sender;
        this.connectorId = connectorId;
        this.clock = clock;
    }

    @Scheduled(
            initialDelayString = "${connector.policies.local-check-interval:10s}",
            fixedDelayString = "${connector.policies.local-check-interval:10s}")
    void check() {
        try {
            fireDue();
        } catch (RuntimeException e) {
            log.warn("Looking for due policy ticks failed; trying again at the next check: {}", e.getMessage());
        }
    }

    /** Sends the tick of every policy that came due since its cursor; returns them. */
    List<EventEnvelope> fireDue() {
        var now = clock.instant();
        List<EventEnvelope> sent = new ArrayList<>();
        for (var policy : policies.all()) {
            if (policy.paused()) {
                continue;
            }
            @Nullable Instant cursor = policies.cursor(policy.id());
            // A new policy's first run is its schedule's first time after it was set.
            Instant since = cursor == null || cursor.isBefore(policy.scheduleAnchor())
                    ? policy.scheduleAnchor().minus(Duration.ofMillis(1))
                    : cursor;
            var due = policy.schedule().parsed().latestDue(since, now, policy.scheduleAnchor());
            if (due == null || !policies.advanceCursor(policy.id(), cursor, due)) {
                continue;
            }
            var tick = SchedulerPolicySchedules.envelope(
                    policy.id(), connectorId, io.cloudconnector.common.id.Ids.ulid(), due);
            sender.send(tick);
            sent.add(tick);
            log.info("Policy {} due at {}: tick sent", policy.id(), due);
        }
        return sent;
    }

    /** Sends ticks to this service's SQS inbox queue. */
    static TickSender toInbox(SqsAsyncClient sqs, EventCodec codec, ConnectorProperties connector) {
        return tick -> {
            String url = sqs.getQueueUrl(b -> b.queueName(connector.inboxQueue()))
                    .join()
                    .queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(codec.encode(tick)))
                    .join();
        };
    }
}
