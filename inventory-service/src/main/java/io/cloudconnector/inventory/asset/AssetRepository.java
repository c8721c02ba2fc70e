package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.inventory.config.InventoryProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Reads assets for the API. Lists query the listing index newest first; filters are DynamoDB filter
 * expressions on that query ({@code protected} depends on the clock, so no index can hold it). A filtered
 * page therefore reads past the items it does not return: it stops when it has {@code limit} items or after
 * {@link #EVALUATION_BUDGET} evaluated ones, whichever comes first, and the token resumes exactly there. So a
 * filtered page may hold fewer items than {@code limit}, even none, and still have a {@code nextPageToken}.
 */
@Repository
class AssetRepository {

    /** Items read per index query while filtering (DynamoDB also stops at 1 MB). */
    static final int FILTERED_BATCH = 500;
    /** Items evaluated per request at most, so that one call of a rare filter stays cheap and quick. */
    static final int EVALUATION_BUDGET = 2_000;

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final Clock clock;
    private final InventoryProperties properties;
    private final Policies policies;

    AssetRepository(
            DynamoDbClient dynamo, ServiceTable table, Clock clock, InventoryProperties properties, Policies policies) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.properties = properties;
        this.policies = policies;
    }

    Optional<Asset> find(String id) {
        Reading reading = reading();
        return table.get(AssetItems.pk(id), AssetItems.SK).flatMap(item -> toAsset(item, reading));
    }

    Page<Asset> list(AssetQuery query) {
        Reading reading = reading();
        Instant protectedSince = reading.protectedSince();
        String fingerprint = query.fingerprint();
        int limit = query.page().limit();
        var request = request(query, protectedSince);
        Map<String, AttributeValue> start = query.page().pageToken() == null
                ? null
                : AssetPageTokens.decode(query.page().pageToken(), fingerprint);
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        int evaluated = 0;
        while (true) {
            var response = dynamo.query(request.exclusiveStartKey(start)
                    .limit(query.isFiltered() ? FILTERED_BATCH : limit - found.size())
                    .build());
            evaluated += java.util.Objects.requireNonNullElse(
                    response.scannedCount(), response.items().size());
            var items = response.items();
            for (int i = 0; i < items.size(); i++) {
                // The protection status depends on the policies and the clock: filtered here, not in the query.
                if (query.protection() != null
                        && !toAsset(items.get(i), reading)
                                .map(a -> a.protection().status().equals(query.protection()))
                                .orElse(false)) {
                    continue;
                }
                found.add(items.get(i));
                if (found.size() == limit) {
                    boolean more = i < items.size() - 1 || hasMore(response.lastEvaluatedKey());
                    // Resume right after the last item returned: matches later in this batch come next time.
                    String next = more ? AssetPageTokens.encode(items.get(i), fingerprint) : null;
                    return page(found, next, reading);
                }
            }
            if (!hasMore(response.lastEvaluatedKey())) {
                return page(found, null, reading);
            }
            start = response.lastEvaluatedKey();
            if (evaluated >= EVALUATION_BUDGET) {
                return page(found, AssetPageTokens.encode(start, fingerprint), reading);
            }
        }
    }

    private QueryRequest.Builder request(AssetQuery query, Instant protectedSince) {
        Map<String, String> names = new HashMap<>(Map.of("#p", ServiceTable.GSI1_PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", ServiceTable.s(AssetItems.LIST)));
        List<String> filters = new ArrayList<>();
        if (query.type() != null) {
            names.put("#type", AssetItems.TYPE);
            values.put(":type", ServiceTable.s(query.type().name()));
            filters.add("#type = :type");
        }
        if (query.state() != null) {
            names.put("#state", AssetItems.STATE);
            values.put(":state", ServiceTable.s(query.state()));
            filters.add("#state = :state");
        }
        for (int i = 0; i < query.tags().size(); i++) {
            names.put("#tags", AssetItems.TAGS);
            names.put("#tk" + i, query.tags().get(i).key());
            values.put(":tv" + i, ServiceTable.s(query.tags().get(i).value()));
            filters.add("#tags.#tk" + i + " = :tv" + i);
        }
        if (query.isProtected() != null) {
            names.put("#lrp", AssetItems.LAST_RP_AT);
            values.put(":since", ServiceTable.n(protectedSince.toEpochMilli()));
            filters.add(query.isProtected() ? "#lrp >= :since" : "(attribute_not_exists(#lrp) OR #lrp < :since)");
        }
        var request = QueryRequest.builder()
                .tableName(table.name())
                .indexName(ServiceTable.GSI1)
                .keyConditionExpression("#p = :p")
                .scanIndexForward(false)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values);
        if (!filters.isEmpty()) {
            request.filterExpression(String.join(" AND ", filters));
        }
        return request;
    }

    private Page<Asset> page(List<Map<String, AttributeValue>> items, @Nullable String next, Reading reading) {
        return new Page<>(
                items.stream().flatMap(item -> toAsset(item, reading).stream()).toList(), next);
    }

    /** What a request evaluates its assets against: one clock reading and the policies, read once. */
    private record Reading(Instant now, Instant protectedSince, List<CoveringPolicy> policies) {}

    private Reading reading() {
        Instant now = clock.instant();
        return new Reading(now, now.minus(properties.protectionWindow()), policies.live());
    }

    private static Optional<Asset> toAsset(Map<String, AttributeValue> item, Reading reading) {
        return AssetItems.record(item)
                .map(record -> Asset.of(
                        record,
                        AssetItems.protection(item),
                        ProtectionStatuses.view(item, reading.policies(), reading.now()),
                        reading.protectedSince()));
    }

    private static boolean hasMore(@Nullable Map<String, AttributeValue> lastEvaluatedKey) {
        return lastEvaluatedKey != null && !lastEvaluatedKey.isEmpty();
    }
}
