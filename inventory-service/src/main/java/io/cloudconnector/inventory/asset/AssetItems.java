package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How an asset is stored: item {@code pk = ASSET#<assetId>}, {@code sk = ASSET}. Discovery owns the facts and
 * the {@code version}; the protection attributes are written separately (they may even arrive first, on an
 * item without facts, which is then neither listed nor served). Listed under {@code gsi1pk = ASSET} by
 * {@code gsi1sk = <first seen, fixed width>#<assetId>}, so newest first is descending and ties are stable.
 */
final class AssetItems {

    static final String LIST = "ASSET";
    static final String SK = "ASSET";

    static final String ID = "id";
    static final String TYPE = "type";
    static final String STATE = "state";
    static final String AVAILABILITY_ZONE = "availabilityZone";
    static final String SIZE_GIB = "sizeGiB";
    static final String INSTANCE_TYPE = "instanceType";
    static final String TAGS = "tags";
    static final String ATTACHMENTS = "attachments";
    static final String FIRST_SEEN = "firstSeen";
    static final String LAST_SEEN = "lastSeen";
    static final String OBSERVED_AT = "observedAt";
    static final String STATE_AT = "stateAt";
    static final String VERSION = "version";

    static final String LAST_RP_ID = "lastRecoveryPointId";
    /** Epoch milliseconds, a number, so that the {@code protected} filter can compare it. */
    static final String LAST_RP_AT = "lastRecoveryPointAt";

    static final String LAST_CLEAN_RP_ID = "lastCleanRecoveryPointId";
    static final String LAST_CLEAN_RP_AT = "lastCleanRecoveryPointAt";
    /** A map {@code {id, createdAt, testedAt (epoch ms), recoveryTimeSeconds}}. */
    static final String LAST_TESTED_RP = "lastTestedRecoveryPoint";

    static final String PROTECTION_VERSION = "protectionVersion";

    /** Fixed width (always milliseconds), so that sort keys order like the times they hold. */
    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AssetItems() {}

    static String pk(String assetId) {
        return "ASSET#" + assetId;
    }

    static Map<String, AttributeValue> key(String assetId) {
        return Map.of(ServiceTable.PK, ServiceTable.s(pk(assetId)), ServiceTable.SK, ServiceTable.s(SK));
    }

    static String sortable(Instant time) {
        return SORTABLE.format(time);
    }

    /** The discovered asset in {@code item}, or empty for an item that only holds protection so far. */
    static Optional<AssetRecord> record(Map<String, AttributeValue> item) {
        if (!item.containsKey(VERSION)) {
            return Optional.empty();
        }
        return Optional.of(new AssetRecord(
                facts(item),
                Items.instant(item, FIRST_SEEN),
                Items.instant(item, LAST_SEEN),
                Instant.ofEpochMilli(Items.number(item, OBSERVED_AT)),
                Instant.ofEpochMilli(Items.number(item, STATE_AT)),
                Items.number(item, VERSION)));
    }

    static ProtectionSummary protection(Map<String, AttributeValue> item) {
        return new ProtectionSummary(
                Items.optionalString(item, LAST_RP_ID),
                millis(item, LAST_RP_AT),
                Items.optionalString(item, LAST_CLEAN_RP_ID),
                millis(item, LAST_CLEAN_RP_AT),
                tested(item.get(LAST_TESTED_RP)));
    }

    private static AssetProtection.@Nullable TestedPoint tested(@Nullable AttributeValue value) {
        if (value == null || !value.hasM()) {
            return null;
        }
        Map<String, AttributeValue> m = value.m();
        return new AssetProtection.TestedPoint(
                Items.string(m, "id"),
                Instant.ofEpochMilli(Items.number(m, "createdAt")),
                Instant.ofEpochMilli(Items.number(m, "testedAt")),
                Double.parseDouble(Items.string(m, "recoveryTimeSeconds")));
    }

    private static @Nullable AttributeValue tested(AssetProtection.@Nullable TestedPoint point) {
        if (point == null) {
            return null;
        }
        return AttributeValue.fromM(Map.of(
                "id", ServiceTable.s(point.id()),
                "createdAt", ServiceTable.n(point.createdAt().toEpochMilli()),
                "testedAt", ServiceTable.n(point.testedAt().toEpochMilli()),
                "recoveryTimeSeconds", ServiceTable.s(Double.toString(point.recoveryTimeSeconds()))));
    }

    /** The attributes discovery sets for {@code record}; a {@code null} value means: remove the attribute. */
    static Map<String, @Nullable AttributeValue> discoveryAttributes(AssetRecord record) {
        AssetFacts facts = record.facts();
        Map<String, @Nullable AttributeValue> values = new HashMap<>();
        values.put(ServiceTable.GSI1_PK, ServiceTable.s(LIST));
        values.put(ServiceTable.GSI1_SK, ServiceTable.s(sortable(record.firstSeen()) + "#" + facts.id()));
        values.put(ID, ServiceTable.s(facts.id()));
        values.put(TYPE, ServiceTable.s(facts.type().name()));
        values.put(STATE, ServiceTable.s(facts.state()));
        values.put(
                AVAILABILITY_ZONE, facts.availabilityZone() == null ? null : ServiceTable.s(facts.availabilityZone()));
        values.put(SIZE_GIB, facts.sizeGiB() == null ? null : ServiceTable.n(facts.sizeGiB()));
        values.put(INSTANCE_TYPE, facts.instanceType() == null ? null : ServiceTable.s(facts.instanceType()));
        Map<String, AttributeValue> tags = new HashMap<>();
        facts.tags().forEach((key, value) -> tags.put(key, ServiceTable.s(value)));
        values.put(TAGS, AttributeValue.fromM(tags));
        values.put(
                ATTACHMENTS,
                AttributeValue.fromL(facts.attachments().stream()
                        .map(a -> AttributeValue.fromM(
                                Map.of("assetId", ServiceTable.s(a.assetId()), "device", ServiceTable.s(a.device()))))
                        .toList()));
        values.put(FIRST_SEEN, ServiceTable.s(record.firstSeen().toString()));
        values.put(LAST_SEEN, ServiceTable.s(record.lastSeen().toString()));
        values.put(OBSERVED_AT, ServiceTable.n(record.observedAt().toEpochMilli()));
        values.put(STATE_AT, ServiceTable.n(record.stateAt().toEpochMilli()));
        values.put(VERSION, ServiceTable.n(record.version()));
        return values;
    }

    /** The protection attributes of {@code summary}; a {@code null} value means: remove the attribute. */
    static Map<String, @Nullable AttributeValue> protectionAttributes(ProtectionSummary summary, long version) {
        Map<String, @Nullable AttributeValue> values = new HashMap<>();
        values.put(LAST_RP_ID, string(summary.lastRecoveryPointId()));
        values.put(LAST_RP_AT, millis(summary.lastRecoveryPointAt()));
        values.put(LAST_CLEAN_RP_ID, string(summary.lastCleanRecoveryPointId()));
        values.put(LAST_CLEAN_RP_AT, millis(summary.lastCleanRecoveryPointAt()));
        values.put(LAST_TESTED_RP, tested(summary.lastTestedRecoveryPoint()));
        values.put(PROTECTION_VERSION, ServiceTable.n(version));
        return values;
    }

    private static AssetFacts facts(Map<String, AttributeValue> item) {
        List<Attachment> attachments = new ArrayList<>();
        var list = item.get(ATTACHMENTS);
        if (list != null && list.hasL()) {
            list.l()
                    .forEach(a -> attachments.add(
                            new Attachment(Items.string(a.m(), "assetId"), Items.string(a.m(), "device"))));
        }
        return new AssetFacts(
                Items.string(item, ID),
                Items.enumValue(item, TYPE, AssetType.class),
                Items.string(item, STATE),
                Items.optionalString(item, AVAILABILITY_ZONE),
                Items.optionalNumber(item, SIZE_GIB),
                Items.optionalString(item, INSTANCE_TYPE),
                Items.stringMap(item, TAGS),
                attachments);
    }

    private static @Nullable Instant millis(Map<String, AttributeValue> item, String name) {
        Long value = Items.optionalNumber(item, name);
        return value == null ? null : Instant.ofEpochMilli(value);
    }

    private static @Nullable AttributeValue string(@Nullable String value) {
        return value == null ? null : ServiceTable.s(value);
    }

    private static @Nullable AttributeValue millis(@Nullable Instant value) {
        return value == null ? null : ServiceTable.n(value.toEpochMilli());
    }
}
