package io.cloudconnector.common.event;

import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes {@link EventEnvelope}s as JSON. Reading accepts both the bare envelope and the
 * EventBridge event that carries it in {@code detail} (what an SQS inbox fed by a rule receives), and
 * refuses forgeries: an EventBridge event is read only when its {@code source} may produce its type
 * ({@link EventProducers}) and its {@code detail-type} is the envelope's {@code type}; in an inbox, a bare
 * envelope only of the types that never travel on the bus ({@link EventProducers#DIRECT}).
 */
public final class EventCodec {

    private final JsonMapper json;

    public EventCodec(JsonMapper json) {
        this.json = json;
    }

    /** A codec with the connector's JSON settings: ISO-8601 times, unknown fields ignored. */
    public static EventCodec standard() {
        return new EventCodec(standardMapper());
    }

    /** The JSON settings events are written with. */
    public static JsonMapper standardMapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    /** The envelope as a JSON object. */
    public String encode(EventEnvelope envelope) {
        ObjectNode node = json.createObjectNode();
        node.put("id", envelope.id());
        node.put("type", envelope.type());
        node.put("version", envelope.version());
        node.put("time", envelope.time().toString());
        node.put("connectorId", envelope.connectorId());
        if (envelope.correlationId() != null) {
            node.put("correlationId", envelope.correlationId());
        }
        node.set("payload", json.valueToTree(envelope.payload()));
        return json.writeValueAsString(node);
    }

    /**
     * Reads an envelope, unwrapping an EventBridge event if that is what {@code text} is.
     *
     * @throws MalformedEventException when the text is not an envelope or its payload does not fit its type
     * @throws UnknownEventTypeException when the type is well-formed but unknown to this version
     * @throws ForeignEventException when it is an EventBridge event from AWS itself
     * @throws ForgedEventException when its sender may not produce its type (checked before its payload is read)
     */
    public EventEnvelope decode(String text) {
        return decode(text, false);
    }

    /**
     * Reads a message of a service's inbox: as {@link #decode}, and a bare envelope only of a type that never
     * travels on the bus ({@link EventProducers#DIRECT}); any other type reaches an inbox only through a rule.
     *
     * @throws ForgedEventException also for a bare envelope of a type that travels on the bus
     */
    public EventEnvelope decodeFromInbox(String text) {
        return decode(text, true);
    }

    private EventEnvelope decode(String text, boolean fromInbox) {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JacksonException e) {
            throw new MalformedEventException("Event is not JSON: " + e.getOriginalMessage(), e);
        }
        boolean fromEventBridge = root.has("detail") && root.has("detail-type");
        if (fromEventBridge && !root.path("source").asString("").startsWith("cloudconnector.")) {
            throw new ForeignEventException(
                    root.path("source").asString(""),
                    root.path("detail-type").asString(""),
                    root.path("id").asString(""),
                    root);
        }
        JsonNode node = fromEventBridge ? root.get("detail") : root;
        String type = requiredText(node, "type");
        var eventClass = EventTypes.classOf(type).orElseThrow(() -> new UnknownEventTypeException(type));
        if (fromEventBridge) {
            refuseForgedBusEvent(
                    root.path("source").asString(""), root.path("detail-type").asString(""), type);
        } else if (fromInbox && !EventProducers.DIRECT.contains(type)) {
            throw new ForgedEventException(
                    ForgedEventException.NO_SOURCE, type, type + " arrived in the inbox without the bus");
        }
        JsonNode payload = node.get("payload");
        if (payload == null || !payload.isObject()) {
            throw new MalformedEventException("Event " + type + " has no payload object");
        }
        ConnectorEvent event;
        try {
            event = json.treeToValue(payload, eventClass);
        } catch (JacksonException e) {
            throw new MalformedEventException("Payload of " + type + " is invalid: " + e.getOriginalMessage(), e);
        }
        JsonNode correlation = node.get("correlationId");
        return new EventEnvelope(
                requiredText(node, "id"),
                type,
                node.path("version").asInt(EventTypes.CURRENT_VERSION),
                parseTime(requiredText(node, "time")),
                requiredText(node, "connectorId"),
                correlation == null || correlation.isNull() ? null : correlation.asString(),
                event);
    }

    private static void refuseForgedBusEvent(String source, String detailType, String type) {
        if (!detailType.equals(type)) {
            throw new ForgedEventException(source, type, "detail-type " + detailType + " carries a " + type);
        }
        if (!EventProducers.mayProduce(source, type)) {
            throw new ForgedEventException(source, type, source + " may not produce " + type);
        }
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            throw new MalformedEventException("Event has no '" + field + "'");
        }
        return value.asString();
    }

    private static Instant parseTime(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new MalformedEventException("Event time '" + text + "' is not ISO-8601", e);
        }
    }
}
