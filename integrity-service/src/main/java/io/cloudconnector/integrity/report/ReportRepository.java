package io.cloudconnector.integrity.report;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reports in the integrity table: item {@code pk = REPORT#<id>}, {@code sk = REPORT}, listed under
 * {@code gsi1pk = REPORT} by id (a ULID, so newest first).
 */
@Repository
class ReportRepository {

    static final String LIST = "REPORT";
    private static final String SK = "REPORT";

    private final ServiceTable table;

    ReportRepository(ServiceTable table) {
        this.table = table;
    }

    Page<Report> list(PageRequest page) {
        return table.listNewestFirst(LIST, page).map(ReportRepository::fromItem);
    }

    Optional<Report> find(String id) {
        return table.get("REPORT#" + id, SK).map(ReportRepository::fromItem);
    }

    private static Report fromItem(Map<String, AttributeValue> item) {
        return new Report(
                Items.string(item, "id"),
                Items.enumValue(item, "kind", ReportKind.class),
                Items.enumValue(item, "outcome", Outcome.class),
                Items.optionalString(item, "recoveryPointId"),
                Items.instant(item, "createdAt"));
    }
}
