package io.cloudconnector.integrity.report;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ListQuery;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reports in the integrity table: item {@code pk = REPORT#<id>}, {@code sk = REPORT}, listed under
 * {@code gsi1pk = REPORT} by the ULID of the id (newest first); the details are a JSON string.
 */
@Repository
public class ReportRepository {

    static final String LIST = "REPORT";
    private static final String SK = "REPORT";
    private static final JsonMapper JSON = EventCodec.standardMapper();

    private final ServiceTable table;

    ReportRepository(ServiceTable table) {
        this.table = table;
    }

    /** A new report id: {@code r-<ULID>}. */
    public static String newId() {
        return "r-" + io.cloudconnector.common.id.Ids.ulid();
    }

    /** Stores a report once; a second save of the same id changes nothing (redelivered events). */
    public boolean save(Report report) {
        var item = ServiceTable.item("REPORT#" + report.id(), SK);
        item.put(ServiceTable.GSI1_PK, ServiceTable.s(LIST));
        item.put(
                ServiceTable.GSI1_SK,
                ServiceTable.s(report.id().substring(report.id().indexOf('-') + 1)));
        item.put("id", ServiceTable.s(report.id()));
        item.put("kind", ServiceTable.s(report.kind().name()));
        item.put("outcome", ServiceTable.s(report.outcome().name()));
        put(item, "verdict", report.verdict() == null ? null : report.verdict().name());
        put(item, "recoveryPointId", report.recoveryPointId());
        put(item, "vaultId", report.vaultId());
        put(item, "assetId", report.assetId());
        put(item, "jobId", report.jobId());
        item.put("createdAt", ServiceTable.s(report.createdAt().toString()));
        if (report.details() != null) {
            item.put("details", ServiceTable.s(JSON.writeValueAsString(report.details())));
        }
        return table.putIfAbsent(item);
    }

    private static void put(Map<String, AttributeValue> item, String name, @Nullable String value) {
        if (value != null) {
            item.put(name, ServiceTable.s(value));
        }
    }

    Page<Report> list(@Nullable ReportKind kind, @Nullable String recoveryPointId, PageRequest page) {
        var query = ListQuery.of(LIST);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        var filter = new StringBuilder();
        if (kind != null) {
            names.put("#kind", "kind");
            values.put(":kind", ServiceTable.s(kind.name()));
            filter.append("#kind = :kind");
        }
        if (recoveryPointId != null) {
            names.put("#rp", "recoveryPointId");
            values.put(":rp", ServiceTable.s(recoveryPointId));
            filter.append(filter.isEmpty() ? "" : " AND ").append("#rp = :rp");
        }
        if (!filter.isEmpty()) {
            query = query.where(filter.toString(), names, values);
        }
        return table.list(query, page).map(item -> fromItem(item).summary());
    }

    /** The report with its details. */
    public Optional<Report> find(String id) {
        return table.get("REPORT#" + id, SK).map(ReportRepository::fromItem);
    }

    private static Report fromItem(Map<String, AttributeValue> item) {
        var verdict = Items.optionalString(item, "verdict");
        var details = Items.optionalString(item, "details");
        return new Report(
                Items.string(item, "id"),
                Items.enumValue(item, "kind", ReportKind.class),
                Items.enumValue(item, "outcome", Outcome.class),
                verdict == null ? null : ScanVerdict.valueOf(verdict),
                Items.optionalString(item, "recoveryPointId"),
                Items.optionalString(item, "vaultId"),
                Items.optionalString(item, "assetId"),
                Items.optionalString(item, "jobId"),
                Items.instant(item, "createdAt"),
                details == null ? null : JSON.readValue(details, new TypeReference<Map<String, Object>>() {}));
    }
}
