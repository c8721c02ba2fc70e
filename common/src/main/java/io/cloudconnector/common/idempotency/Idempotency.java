package io.cloudconnector.common.idempotency;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.InvalidInputException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code Idempotency-Key} of every POST that creates something. A key is 1 to {@value #MAX_KEY_LENGTH}
 * visible ASCII characters and belongs to one operation of one service: the first request under it is
 * answered as usual and its answer (status, {@code Location}, body) recorded for {@link #RETENTION} with the
 * SHA-256 of its canonical body, in the same conditional write as what it created; a later request with the
 * same key and body gets that answer again with {@code Idempotent-Replayed: true}, one with another body a 409
 * naming the header. Without a key every request is its own.
 */
public final class Idempotency {

    /** The request header that carries the key. */
    public static final String KEY_HEADER = "Idempotency-Key";
    /** Set on an answer that repeats the one given to an earlier request with the same key. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    /** The longest key accepted. */
    public static final int MAX_KEY_LENGTH = 255;
    /** How long a key holds its answer (the record's DynamoDB TTL). */
    public static final Duration RETENTION = Duration.ofHours(24);

    static final String PK_PREFIX = "IDEMPOTENCY#";
    static final String SK = "IDEMPOTENCY";
    static final String STATUS = "status";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final JsonMapper json;
    private final Clock clock;

    public Idempotency(DynamoDbClient dynamo, ServiceTable table, JsonMapper json, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The key a request carries, or null without one.
     *
     * @throws InvalidInputException naming {@value #KEY_HEADER} when it is empty, too long, or not visible ASCII
     */
    public static @Nullable String checkKey(@Nullable String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new InvalidInputException(
                    KEY_HEADER, "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters (0x21-0x7E)");
        }
        return key;
    }

    /**
     * Answers a request of {@code operation} (e.g. {@code backups}) under {@code key}: the answer recorded for an
     * earlier request with that key and the same {@code request} body, else what {@code create} answers. Checked
     * before {@code create} validates anything, so a retry gets its first answer whatever changed since.
     * {@code create} must write the {@link Claim} it is given with what it creates (or alone if it stores
     * nothing); when another request with the key won the race, its answer is returned instead.
     *
     * @param request the request body as received (null if none); canonicalised (keys sorted, nulls dropped)
     *        before it is hashed, so formatting and field order do not matter
     * @param type the type of the answer's body, which a replay reads back from the record
     * @throws ConflictException naming {@value #KEY_HEADER} when the key was used for another body
     */
    public <T> ResponseEntity<T> respond(
            String operation,
            @Nullable String key,
            @Nullable Object request,
            Class<T> type,
            Function<Claim, ResponseEntity<T>> create) {
        if (key == null) {
            return create.apply(new Claim(this, operation, null, "", clock.instant()));
        }
        checkKey(key);
        String hash = requestHash(request);
        var earlier = find(operation, key);
        if (earlier.isPresent()) {
            return replay(earlier.get(), hash, type);
        }
        try {
            return create.apply(new Claim(this, operation, key, hash, clock.instant()));
        } catch (KeyTakenException e) {
            return replay(
                    find(operation, key)
                            .orElseThrow(() -> new ConflictException(
                                    KEY_HEADER, "a request with this key is still being answered; retry")),
                    hash,
                    type);
        }
    }

    /** The SHA-256 (hex) of the canonical JSON of a request body: object keys sorted, null fields dropped. */
    public String requestHash(@Nullable Object request) {
        JsonNode tree = request == null ? json.nullNode() : json.valueToTree(request);
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(json.writeValueAsString(canonical(tree)).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = json.createObjectNode();
            node.propertyNames().stream().sorted().forEach(name -> {
                JsonNode value = node.get(name);
                if (!value.isNull() && !value.isMissingNode()) {
                    sorted.set(name, canonical(value));
                }
            });
            return sorted;
        }
        if (node.isArray()) {
            var array = json.createArrayNode();
            node.values().forEach(value -> array.add(canonical(value)));
            return array;
        }
        return node;
    }

    private <T> ResponseEntity<T> replay(Map<String, AttributeValue> record, String hash, Class<T> type) {
        if (!hash.equals(Items.string(record, "requestHash"))) {
            throw new ConflictException(
                    KEY_HEADER,
                    "was used within the last " + RETENTION.toHours() + " hours for a request with another body");
        }
        var answer = ResponseEntity.status((int) Items.number(record, STATUS));
        String location = Items.optionalString(record, "location");
        if (location != null) {
            answer.location(URI.create(location));
        }
        return answer.header(REPLAYED_HEADER, "true").body(json.readValue(Items.string(record, "body"), type));
    }

    /**
     * The live record under a key. One written before answers were recorded (it has no status) or past its
     * TTL (DynamoDB deletes lazily) holds the key no more.
     */
    private Optional<Map<String, AttributeValue>> find(String operation, String key) {
        long now = clock.instant().getEpochSecond();
        return table.get(pk(operation, key), SK)
                .filter(item -> item.containsKey(STATUS))
                .filter(item -> Items.number(item, ServiceTable.EXPIRES_AT) > now);
    }

    static String pk(String operation, String key) {
        return PK_PREFIX + operation + "#" + key;
    }

    Map<String, AttributeValue> record(Claim claim, ResponseEntity<?> answer) {
        var item = ServiceTable.item(pk(claim.operation(), claim.key()), SK);
        item.put("operation", ServiceTable.s(claim.operation()));
        item.put("key", ServiceTable.s(claim.key()));
        item.put("requestHash", ServiceTable.s(claim.requestHash()));
        item.put(STATUS, ServiceTable.n(answer.getStatusCode().value()));
        URI location = answer.getHeaders().getLocation();
        if (location != null) {
            item.put("location", ServiceTable.s(location.toString()));
        }
        item.put("body", ServiceTable.s(json.writeValueAsString(answer.getBody())));
        item.put("createdAt", ServiceTable.s(claim.at().toString()));
        item.put(
                ServiceTable.EXPIRES_AT,
                ServiceTable.n(claim.at().plus(RETENTION).getEpochSecond()));
        return item;
    }

    ServiceTable table() {
        return table;
    }

    DynamoDbClient dynamo() {
        return dynamo;
    }

    /** Thrown by a {@link Claim} whose key another request took first; {@link #respond} answers as that one. */
    static final class KeyTakenException extends RuntimeException {
        KeyTakenException(String operation, String key) {
            super("Idempotency key " + key + " of " + operation + " was taken by a concurrent request");
        }
    }
}
