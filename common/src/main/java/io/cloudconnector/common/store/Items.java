package io.cloudconnector.common.store;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads typed attributes out of a DynamoDB item, naming the attribute when one is missing. */
public final class Items {

    private Items() {}

    /** A required string attribute. */
    public static String string(Map<String, AttributeValue> item, String name) {
        var value = item.get(name);
        if (value == null || value.s() == null) {
            throw new IllegalStateException("Item " + key(item) + " has no string attribute " + name);
        }
        return value.s();
    }

    /** An optional string attribute. */
    public static @Nullable String optionalString(Map<String, AttributeValue> item, String name) {
        var value = item.get(name);
        return value == null ? null : value.s();
    }

    /** A number attribute, zero when absent. */
    public static long number(Map<String, AttributeValue> item, String name) {
        var value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    /** An optional number attribute. */
    public static @Nullable Long optionalNumber(Map<String, AttributeValue> item, String name) {
        var value = item.get(name);
        return value == null || value.n() == null ? null : Long.parseLong(value.n());
    }

    /** A required ISO-8601 time attribute. */
    public static Instant instant(Map<String, AttributeValue> item, String name) {
        return Instant.parse(string(item, name));
    }

    /** An optional ISO-8601 time attribute. */
    public static @Nullable Instant optionalInstant(Map<String, AttributeValue> item, String name) {
        var text = optionalString(item, name);
        return text == null ? null : Instant.parse(text);
    }

    /** A string-map attribute (e.g. tags), empty when absent. */
    public static Map<String, String> stringMap(Map<String, AttributeValue> item, String name) {
        var value = item.get(name);
        if (value == null || !value.hasM()) {
            return Map.of();
        }
        var result = new java.util.TreeMap<String, String>();
        value.m().forEach((k, v) -> result.put(k, v.s()));
        return result;
    }

    /** An enum stored by constant name. */
    public static <E extends Enum<E>> E enumValue(Map<String, AttributeValue> item, String name, Class<E> type) {
        return Enum.valueOf(type, string(item, name));
    }

    private static String key(Map<String, AttributeValue> item) {
        var pk = item.get(ServiceTable.PK);
        return pk == null ? "?" : pk.s();
    }
}
