package io.cloudconnector.provisioner.server;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ListQuery;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import io.cloudconnector.provisioner.vault.VaultRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * ScaleZ servers in the provisioner table: item {@code pk = VAULT#<vaultId>, sk = SERVER#<id>} (so a vault's
 * servers are read consistently, in one query, before deciding to start one), listed under
 * {@code gsi1pk = SERVER} by start time, newest first; and a pointer {@code pk = COMPUTE#<computeId>} from the
 * ECS task (or local process) to its server, for AWS events that name only the task.
 */
@Repository
class ScalezServerRepository {

    static final String LIST = "SERVER";
    private static final String SK_PREFIX = "SERVER#";

    private final DynamoDbClient dynamo;
    private final ServiceTable table;

    ScalezServerRepository(DynamoDbClient dynamo, ServiceTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    Page<ScalezServer> list(PageRequest page, @Nullable String vaultId) {
        var query = vaultId == null
                ? ListQuery.of(LIST)
                : ListQuery.of(LIST)
                        .where(
                                "#vault = :vault",
                                Map.of("#vault", "vaultId"),
                                Map.of(":vault", ServiceTable.s(vaultId)));
        return table.list(query, page).map(item -> fromItem(item).view());
    }

    /** The vault's servers that have not stopped, read consistently. */
    List<ServerRecord> live(String vaultId) {
        return all(vaultId).stream()
                .filter(s -> s.state() != ServerState.STOPPED)
                .toList();
    }

    /** Every server the vault had, stopped ones included. */
    List<ServerRecord> all(String vaultId) {
        List<ServerRecord> servers = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var request = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                    .tableName(table.name())
                    .consistentRead(true)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :server)")
                    .expressionAttributeNames(Map.of("#pk", ServiceTable.PK, "#sk", ServiceTable.SK))
                    .expressionAttributeValues(Map.of(
                            ":pk", ServiceTable.s(VaultRepository.key(vaultId)), ":server", ServiceTable.s(SK_PREFIX)))
                    .exclusiveStartKey(start)
                    .build();
            var response = dynamo.query(request);
            response.items().forEach(item -> servers.add(fromItem(item)));
            start = response.hasLastEvaluatedKey()
                            && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey()
                    : null;
        } while (start != null);
        return servers;
    }

    /** The server running as this ECS task ARN, EC2 instance id or local process. */
    Optional<ServerRecord> byCompute(String computeId) {
        return table.get("COMPUTE#" + computeId, "COMPUTE")
                .flatMap(pointer -> table.get(
                                VaultRepository.key(Items.string(pointer, "vaultId")),
                                SK_PREFIX + Items.string(pointer, "serverId"))
                        .map(ScalezServerRepository::fromItem));
    }

    void save(ServerRecord server) {
        var item = ServiceTable.item(VaultRepository.key(server.vaultId()), SK_PREFIX + server.id());
        item.put(ServiceTable.GSI1_PK, ServiceTable.s(LIST));
        item.put(ServiceTable.GSI1_SK, ServiceTable.s(server.startedAt() + "#" + server.id()));
        item.put("id", ServiceTable.s(server.id()));
        item.put("vaultId", ServiceTable.s(server.vaultId()));
        item.put("state", ServiceTable.s(server.state().name()));
        item.put("capacityType", ServiceTable.s(server.capacityType().name()));
        item.put("token", ServiceTable.s(server.token()));
        item.put("startedAt", ServiceTable.s(server.startedAt().toString()));
        item.put("lastActivityAt", ServiceTable.s(server.lastActivityAt().toString()));
        if (server.endpoint() != null) {
            item.put("endpoint", ServiceTable.s(server.endpoint()));
        }
        if (server.certificateSha256() != null) {
            item.put("certificateSha256", ServiceTable.s(server.certificateSha256()));
        }
        if (server.computeId() != null) {
            item.put("computeId", ServiceTable.s(server.computeId()));
        }
        if (server.stopReason() != null) {
            item.put("stopReason", ServiceTable.s(server.stopReason()));
        }
        table.put(item);
        if (server.computeId() != null) {
            var pointer = ServiceTable.item("COMPUTE#" + server.computeId(), "COMPUTE");
            pointer.put("vaultId", ServiceTable.s(server.vaultId()));
            pointer.put("serverId", ServiceTable.s(server.id()));
            table.put(pointer);
        }
    }

    private static ServerRecord fromItem(Map<String, AttributeValue> item) {
        var startedAt = Items.instant(item, "startedAt");
        var lastActivity = Items.optionalInstant(item, "lastActivityAt");
        var token = Items.optionalString(item, "token");
        return new ServerRecord(
                Items.string(item, "id"),
                Items.string(item, "vaultId"),
                Items.enumValue(item, "state", ServerState.class),
                Items.enumValue(item, "capacityType", CapacityType.class),
                Items.optionalString(item, "endpoint"),
                Items.optionalString(item, "certificateSha256"),
                Items.optionalString(item, "computeId"),
                token == null ? "" : token,
                startedAt,
                lastActivity == null ? startedAt : lastActivity,
                Items.optionalString(item, "stopReason"));
    }
}
