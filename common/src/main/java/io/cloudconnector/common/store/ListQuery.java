package io.cloudconnector.common.store;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A newest-first listing of the items under {@code list} in the listing index, optionally within a
 * range of sort keys (inclusive) and narrowed by a DynamoDB filter expression.
 *
 * @param filter e.g. {@code #vault = :vault}, with its attribute names and values
 */
public record ListQuery(
        String list,
        @Nullable String fromSortKey,
        @Nullable String toSortKey,
        @Nullable String filter,
        Map<String, String> filterNames,
        Map<String, AttributeValue> filterValues) {

    public ListQuery {
        filterNames = Map.copyOf(filterNames);
        filterValues = Map.copyOf(filterValues);
    }

    /** Every item of a list. */
    public static ListQuery of(String list) {
        return new ListQuery(list, null, null, null, Map.of(), Map.of());
    }

    /** Only sort keys between {@code from} and {@code to} (inclusive; either may be null for open). */
    public ListQuery between(@Nullable String from, @Nullable String to) {
        return new ListQuery(list, from, to, filter, filterNames, filterValues);
    }

    /** Only items matching {@code expression}. */
    public ListQuery where(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        return new ListQuery(list, fromSortKey, toSortKey, expression, names, values);
    }
}
