package io.cloudconnector.common.messaging;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.Visibility;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.EventProducers;
import io.cloudconnector.common.event.EventTypes;
import io.cloudconnector.common.event.ForeignEventException;
import io.cloudconnector.common.event.ForgedEventException;
import io.cloudconnector.common.event.MalformedEventException;
import io.cloudconnector.common.event.UnknownEventTypeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's one consumer of its SQS inbox: decodes each message, claims its id (so a duplicate
 * is handled once, even when both copies arrive at the same moment), runs the handlers registered for
 * its type, then records it as handled. A message that is not an
 * event at all is dropped with an error in the log (it would fail the same way five times and land in
 * the DLQ anyway); a handler's exception leaves the message for redelivery. A message whose event another consumer
 * is handling comes back when that consumer's processing lease runs out (plus jitter), so that the event of a
 * consumer killed mid-handler is taken over rather than dead-lettered. Events from AWS itself
 * (routed from the default bus) go to the {@link AwsEventHandler}s that accept them. A forged event (its
 * source may not produce its type, see {@link EventProducers}) is dropped unhandled, before its id is
 * claimed: counted in {@value #FORGED_EVENTS} (tags {@code source}, {@code type}) and logged once per pair.
 */
public final class InboxDispatcher {

    private static final Logger log = LoggerFactory.getLogger(InboxDispatcher.class);

    private final EventCodec codec;
    private final ProcessedEvents processed;
    private final Map<String, List<EventHandler<?>>> handlers;
    private final List<AwsEventHandler> awsHandlers;
    private final MeterRegistry meters;
    private final Set<String> forgeriesLogged = ConcurrentHashMap.newKeySet();

    /** The counter of forged events dropped, tagged with their {@code source} and {@code type}. */
    public static final String FORGED_EVENTS = "connector.inbox.forged.events";

    /** The tag value of a source that is not a connector service's, or of a bare envelope. */
    static final String OTHER_SOURCE = "other";

    public InboxDispatcher(
            EventCodec codec,
            ProcessedEvents processed,
            List<EventHandler<?>> handlers,
            List<AwsEventHandler> awsHandlers) {
        this(codec, processed, handlers, awsHandlers, new SimpleMeterRegistry());
    }

    public InboxDispatcher(
            EventCodec codec,
            ProcessedEvents processed,
            List<EventHandler<?>> handlers,
            List<AwsEventHandler> awsHandlers,
            MeterRegistry meters) {
        this.codec = codec;
        this.processed = processed;
        this.awsHandlers = List.copyOf(awsHandlers);
        this.meters = meters;
        this.handlers = handlers.stream().collect(Collectors.groupingBy(h -> EventTypes.typeOf(h.eventType())));
    }

    /**
     * The most a message's visibility may be set to: SQS's maximum, 12 hours (a lease is far shorter; this only
     * bounds a nonsensical one).
     */
    static final int MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
    /** At most this many seconds are added to a busy event's remaining lease, spreading the redeliveries. */
    static final int BUSY_JITTER_SECONDS = 5;

    /**
     * A message whose event another consumer holds comes back just after that consumer's lease runs out: each
     * receive counts towards the queue's {@code maxReceiveCount}, so a short fixed retry would dead-letter the event
     * of a consumer that died mid-handler before its lease ran out; this way the next receive takes the event over.
     */
    @SqsListener(value = "${connector.inbox-queue}", id = "connector-inbox")
    public void onMessage(String body, Visibility visibility) {
        try {
            handle(body);
        } catch (EventBusyException e) {
            visibility.changeTo(busyVisibilitySeconds(
                    e.leaseLeft(), ThreadLocalRandom.current().nextInt(1, BUSY_JITTER_SECONDS + 1)));
            throw e;
        }
    }

    /**
     * The visibility of a message whose event is busy: the lease's remaining time, rounded up, plus {@code
     * jitterSeconds}, at most {@link #MAX_VISIBILITY_SECONDS}.
     */
    static int busyVisibilitySeconds(Duration leaseLeft, int jitterSeconds) {
        long millis = Math.max(0, leaseLeft.toMillis());
        long seconds = (millis + 999) / 1000 + Math.max(0, jitterSeconds);
        return (int) Math.min(MAX_VISIBILITY_SECONDS, seconds);
    }

    private void handle(String body) {
        EventEnvelope envelope;
        try {
            envelope = codec.decodeFromInbox(body);
        } catch (ForeignEventException e) {
            dispatchAwsEvent(e);
            return;
        } catch (ForgedEventException e) {
            dropForgery(e);
            return;
        } catch (UnknownEventTypeException e) {
            log.warn("Ignoring event of unknown type {} (a newer producer?)", e.type());
            return;
        } catch (MalformedEventException e) {
            log.error("Dropping a message that is not a connector event: {}", e.getMessage());
            return;
        }
        dispatch(envelope);
    }

    /** Handles one decoded event; public so that tests and replay tools can feed events directly. */
    public void dispatch(EventEnvelope envelope) {
        var forType = handlers.getOrDefault(envelope.type(), List.of());
        if (forType.isEmpty()) {
            log.debug("No handler for {} {}", envelope.type(), envelope.id());
            return;
        }
        exactlyOnce(envelope.id(), envelope.type(), () -> forType.forEach(handler -> invoke(handler, envelope)));
    }

    private void exactlyOnce(String eventId, String type, Runnable handle) {
        var attempt = processed.attempt(eventId, type);
        switch (attempt.claim()) {
            case ALREADY_DONE -> log.debug("Skipping {} {}: already handled", type, eventId);
            case BUSY -> throw new EventBusyException(eventId, type, attempt.leaseLeft());
            case ACQUIRED -> {
                try {
                    handle.run();
                } catch (RuntimeException e) {
                    processed.release(eventId);
                    throw e;
                }
                processed.complete(eventId, type);
            }
        }
    }

    /** How many forged events from {@code source} claiming {@code type} this inbox dropped. */
    public long forgeriesDropped(String source, String type) {
        var counter = meters.find(FORGED_EVENTS)
                .tags("source", sourceTag(source), "type", type)
                .counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private void dropForgery(ForgedEventException e) {
        // Tags and the log-once set only take values from the table: a forger cannot grow them without bound.
        String source = sourceTag(e.source());
        meters.counter(FORGED_EVENTS, "source", source, "type", e.type()).increment();
        if (forgeriesLogged.add(source + " " + e.type())) {
            log.error(
                    "Dropping a forged event (logged once per source and type, counted in {}): {}",
                    FORGED_EVENTS,
                    e.getMessage());
        }
    }

    private static String sourceTag(String source) {
        return EventProducers.isConnectorSource(source) ? source : OTHER_SOURCE;
    }

    private void dispatchAwsEvent(ForeignEventException event) {
        var accepting = awsHandlers.stream()
                .filter(h -> h.accepts(event.source(), event.detailType()))
                .toList();
        if (accepting.isEmpty()) {
            log.debug("No handler for AWS event {} / {}", event.source(), event.detailType());
            return;
        }
        exactlyOnce(
                "aws:" + event.eventId(),
                event.source() + "/" + event.detailType(),
                () -> accepting.forEach(handler -> handler.handle(event.event())));
    }

    private static <E extends io.cloudconnector.common.event.ConnectorEvent> void invoke(
            EventHandler<E> handler, EventEnvelope envelope) {
        handler.handle(envelope, handler.eventType().cast(envelope.payload()));
    }
}
