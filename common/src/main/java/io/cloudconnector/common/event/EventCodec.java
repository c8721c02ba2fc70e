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
 * EventBridge event that carries it in {@code detail} (what an SQS inbox fed by a rule receives).
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
     */
    public EventEnvelope decode(String text) {
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
