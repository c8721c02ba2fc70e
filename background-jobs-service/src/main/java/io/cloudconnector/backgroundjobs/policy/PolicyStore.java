package io.cloudconnector.backgroundjobs.policy;

import static io.cloudconnector.common.store.ServiceTable.n;
import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.idempotency.Claim;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ListQuery;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import io.cloudconnector.common.web.PreconditionFailedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Policies in this service's table: {@code POLICY#<id>} / {@code POLICY} (listed under {@code POLICY}, the
 * policy as JSON in {@code body}, its {@code version} beside it for conditional writes), the name's reservation
 * {@code POLICY-NAME#<name>} / {@code NAME} (written in the same transaction, so two policies never share a name),
 * and the local scheduler's cursor {@code POLICY#<id>} / {@code CURSOR}.
 */
@Repository
class PolicyStore {

    static final String LIST = "POLICY";
    private static final String SK = "POLICY";
    private static final String NAME_SK = "NAME";
    private static final String CURSOR_SK = "CURSOR";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;
    private final JsonMapper json;

    PolicyStore(DynamoDbClient dynamo, ServiceTable table, ObjectProvider<JsonMapper> json) {
        this.dynamo = dynamo;
        this.table = table;
        // JSON as the web layer writes it.
        this.json = json.getIfAvailable(EventCodec::standardMapper);
    }

    Optional<Policy> find(String id) {
        return table.get(pk(id), SK).map(this::policy);
    }

    Policy get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("Policy", id));
    }

    Page<Policy> list(PageRequest page) {
        return table.listNewestFirst(LIST, page).map(this::policy);
    }

    /** Every policy (a connector has tens, not thousands). */
    List<Policy> all() {
        return table.listAll(ListQuery.of(LIST)).stream().map(this::policy).toList();
    }

    /** Stores a new policy with its name, and the request's idempotency record; 409 naming {@code name}. */
    void create(Policy policy, Claim claim, ResponseEntity<?> answer) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(put(item(policy), "attribute_not_exists(#pk)", Map.of()));
        writes.add(put(nameItem(policy), "attribute_not_exists(#pk)", Map.of()));
        int key = claim.addTo(writes, answer);
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            claim.checkCancelled(e, key);
            if (failed(e, 1)) {
                throw nameTaken(policy.name());
            }
            throw e;
        }
    }

    /**
     * Replaces {@code previous} (as read, at its version) with {@code policy}: 412 if it changed meanwhile, 404 if
     * it is gone, 409 naming {@code name} if the new name is taken.
     */
    void replace(Policy previous, Policy policy) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(put(item(policy), "#version = :read", Map.of(":read", n(previous.version()))));
        boolean renamed = !previous.name().equals(policy.name());
        if (renamed) {
            writes.add(put(nameItem(policy), "attribute_not_exists(#pk)", Map.of()));
            writes.add(TransactWriteItem.builder()
                    .delete(d -> d.tableName(table.name()).key(key(namePk(previous.name()), NAME_SK)))
                    .build());
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            if (failed(e, 0)) {
                var now = find(policy.id());
                if (now.isEmpty()) {
                    throw new NotFoundException("Policy", policy.id());
                }
                throw PreconditionFailedException.stale("policy " + policy.id() + " is at version "
                        + now.get().version() + ", not " + previous.version());
            }
            if (renamed && failed(e, 1)) {
                throw nameTaken(policy.name());
            }
            throw e;
        }
    }

    /** Deletes a policy, its name and its cursor; false if it was not there. */
    boolean delete(Policy policy) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder()
                            .delete(d -> d.tableName(table.name())
                                    .key(key(pk(policy.id()), SK))
                                    .conditionExpression("attribute_exists(#pk)")
                                    .expressionAttributeNames(Map.of("#pk", ServiceTable.PK)))
                            .build(),
                    TransactWriteItem.builder()
                            .delete(d -> d.tableName(table.name()).key(key(namePk(policy.name()), NAME_SK)))
                            .build()));
        } catch (TransactionCanceledException e) {
            return false;
        }
        table.delete(pk(policy.id()), CURSOR_SK);
        return true;
    }

    /** The scheduled time the local scheduler last fired a tick for, if any. */
    @Nullable
    Instant cursor(String id) {
        return table.get(pk(id), CURSOR_SK)
                .map(item -> Items.instant(item, "tickedThrough"))
                .orElse(null);
    }

    /** Moves the cursor from {@code from} (null: none yet) to {@code to}; false if another replica moved it first. */
    boolean advanceCursor(String id, @Nullable Instant from, Instant to) {
        var item = ServiceTable.item(pk(id), CURSOR_SK);
        item.put("tickedThrough", s(to.toString()));
        try {
            dynamo.putItem(b -> {
                b.tableName(table.name()).item(item).expressionAttributeNames(Map.of("#t", "tickedThrough"));
                if (from == null) {
                    b.conditionExpression("attribute_not_exists(#t)");
                } else {
                    b.conditionExpression("#t = :from").expressionAttributeValues(Map.of(":from", s(from.toString())));
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private Map<String, AttributeValue> item(Policy policy) {
        var item = ServiceTable.item(pk(policy.id()), SK);
        item.put(ServiceTable.GSI1_PK, s(LIST));
        item.put(ServiceTable.GSI1_SK, s(policy.id()));
        item.put("policyId", s(policy.id()));
        item.put("name", s(policy.name()));
        item.put("vaultId", s(policy.vaultId()));
        item.put("version", n(policy.version()));
        item.put("body", s(json.writeValueAsString(policy)));
        return item;
    }

    private Map<String, AttributeValue> nameItem(Policy policy) {
        var item = ServiceTable.item(namePk(policy.name()), NAME_SK);
        item.put("policyId", s(policy.id()));
        return item;
    }

    private TransactWriteItem put(
            Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder()
                .put(p -> {
                    p.tableName(table.name())
                            .item(item)
                            .conditionExpression(condition)
                            .expressionAttributeNames(
                                    condition.contains("#version")
                                            ? Map.of("#version", "version")
                                            : Map.of("#pk", ServiceTable.PK));
                    if (!values.isEmpty()) {
                        p.expressionAttributeValues(values);
                    }
                })
                .build();
    }

    private Policy policy(Map<String, AttributeValue> item) {
        return json.readValue(Items.string(item, "body"), Policy.class);
    }

    private static boolean failed(TransactionCanceledException e, int index) {
        var reasons = e.cancellationReasons();
        return reasons.size() > index
                && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException("name", "a policy named '" + name + "' exists already");
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(ServiceTable.PK, s(pk), ServiceTable.SK, s(sk));
    }

    private static String pk(String id) {
        return "POLICY#" + id;
    }

    private static String namePk(String name) {
        return "POLICY-NAME#" + name;
    }
}
