package io.cloudconnector.common.store;

import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * A service's own DynamoDB table in the connector's single-table layout: every item has {@code pk} and
 * {@code sk}; items that are listed also carry {@code gsi1pk} (the list, e.g. {@code VAULT}) and
 * {@code gsi1sk} (a sortable key, usually a ULID, so newest first is descending); ephemeral items carry
 * {@code expiresAt} (epoch seconds, DynamoDB TTL).
 */
public final class ServiceTable {

    /** Partition key attribute. */
    public static final String PK = "pk";
    /** Sort key attribute. */
    public static final String SK = "sk";
    /** Partition key of the listing index. */
    public static final String GSI1_PK = "gsi1pk";
    /** Sort key of the listing index. */
    public static final String GSI1_SK = "gsi1sk";
    /** The TTL attribute. */
    public static final String EXPIRES_AT = "expiresAt";
    /** Name of the listing index. */
    public static final String GSI1 = "gsi1";

    /** How many DynamoDB requests one filtered page may take before it returns short, with a token. */
    static final int MAX_READS_PER_PAGE = 20;

    private final DynamoDbClient dynamo;
    private final String name;

    public ServiceTable(DynamoDbClient dynamo, String name) {
        this.dynamo = dynamo;
        this.name = name;
    }

    /** The table's name. */
    public String name() {
        return name;
    }

    /** Whether the table exists and is ACTIVE. */
    public boolean isActive() {
        return dynamo.describeTable(b -> b.tableName(name)).table().tableStatus() == TableStatus.ACTIVE;
    }

    /** Writes an item, replacing any with the same key. */
    public void put(Map<String, AttributeValue> item) {
        dynamo.putItem(b -> b.tableName(name).item(item));
    }

    /** Writes an item only if none has its key; {@code false} if one already did. */
    public boolean putIfAbsent(Map<String, AttributeValue> item) {
        try {
            dynamo.putItem(b -> b.tableName(name)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Deletes the item with this key, if any. */
    public void delete(String pk, String sk) {
        dynamo.deleteItem(b -> b.tableName(name).key(Map.of(PK, s(pk), SK, s(sk))));
    }

    /** The item with this key, read consistently. */
    public Optional<Map<String, AttributeValue>> get(String pk, String sk) {
        var response =
                dynamo.getItem(b -> b.tableName(name).consistentRead(true).key(Map.of(PK, s(pk), SK, s(sk))));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    /** One page of the items listed under {@code list} in the listing index, newest (highest gsi1sk) first. */
    public Page<Map<String, AttributeValue>> listNewestFirst(String list, PageRequest page) {
        return list(ListQuery.of(list), page);
    }

    /**
     * One page of a listing, newest first. With a filter, DynamoDB reads past what it drops, so this reads
     * on (up to {@value #MAX_READS_PER_PAGE} requests) until the page is full; the token then resumes right
     * after the last item returned, so pages never skip or repeat an item.
     */
    public Page<Map<String, AttributeValue>> list(ListQuery query, PageRequest page) {
        Map<String, String> names = new HashMap<>(query.filterNames());
        Map<String, AttributeValue> values = new HashMap<>(query.filterValues());
        names.put("#p", GSI1_PK);
        values.put(":p", s(query.list()));
        String condition = "#p = :p";
        if (query.fromSortKey() != null || query.toSortKey() != null) {
            names.put("#s", GSI1_SK);
            if (query.fromSortKey() != null && query.toSortKey() != null) {
                condition += " AND #s BETWEEN :from AND :to";
                values.put(":from", s(query.fromSortKey()));
                values.put(":to", s(query.toSortKey()));
            } else if (query.fromSortKey() != null) {
                condition += " AND #s >= :from";
                values.put(":from", s(query.fromSortKey()));
            } else {
                condition += " AND #s <= :to";
                values.put(":to", s(java.util.Objects.requireNonNull(query.toSortKey())));
            }
        }
        Map<String, AttributeValue> start =
                page.pageToken() == null ? null : PageTokens.decode(page.pageToken(), query.list());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int reads = 0; reads < MAX_READS_PER_PAGE; reads++) {
            var request = QueryRequest.builder()
                    .tableName(name)
                    .indexName(GSI1)
                    .keyConditionExpression(condition)
                    .filterExpression(query.filter())
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .limit(page.limit())
                    .exclusiveStartKey(start);
            QueryResponse response = dynamo.query(request.build());
            start = response.hasLastEvaluatedKey()
                            && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey()
                    : null;
            for (var item : response.items()) {
                if (items.size() == page.limit()) {
                    // The page is full in the middle of what DynamoDB returned: resume after the last item kept.
                    return new Page<>(items, PageTokens.encode(keyOf(items.getLast())));
                }
                items.add(item);
            }
            if (start == null) {
                return new Page<>(items, null);
            }
            if (items.size() == page.limit()) {
                return new Page<>(items, PageTokens.encode(keyOf(items.getLast())));
            }
        }
        // Read as much as one page may; return what was found and resume where the reads stopped.
        return new Page<>(items, start == null ? null : PageTokens.encode(start));
    }

    /**
     * Every item of a listing, newest first, read page by page: for the few lists that stay small (a
     * connector's vaults, one vault's recovery points) and that a caller needs whole.
     */
    public List<Map<String, AttributeValue>> listAll(ListQuery query) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        String token = null;
        do {
            var page = list(query, new PageRequest(PageRequest.MAX_LIMIT, token));
            all.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        return all;
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        return Map.of(PK, item.get(PK), SK, item.get(SK), GSI1_PK, item.get(GSI1_PK), GSI1_SK, item.get(GSI1_SK));
    }

    /** A string attribute value. */
    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    /** A number attribute value. */
    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** The TTL attribute for an item that should vanish at {@code when}. */
    public static Map.Entry<String, AttributeValue> expiresAt(Instant when) {
        return Map.entry(EXPIRES_AT, n(when.getEpochSecond()));
    }

    /** A mutable item holding its key; callers add their attributes. */
    public static Map<String, AttributeValue> item(String pk, String sk) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(pk));
        item.put(SK, s(sk));
        return item;
    }
}
