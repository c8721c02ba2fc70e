package io.cloudconnector.inventory.asset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An UpdateItem expression from attribute values: {@code SET} for values, {@code REMOVE} for nulls, every
 * name and value behind a placeholder (several attribute names, {@code state} and {@code type} among them,
 * are DynamoDB reserved words).
 */
record Updates(String expression, Map<String, String> names, Map<String, AttributeValue> values) {

    static Updates of(Map<String, @Nullable AttributeValue> attributes) {
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        int i = 0;
        for (var entry : new java.util.TreeMap<>(attributes).entrySet()) {
            String name = "#u" + i;
            names.put(name, entry.getKey());
            if (entry.getValue() == null) {
                remove.add(name);
            } else {
                set.add(name + " = :u" + i);
                values.put(":u" + i, entry.getValue());
            }
            i++;
        }
        String expression = (set.isEmpty() ? "" : "SET " + String.join(", ", set))
                + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        return new Updates(expression.strip(), names, values);
    }

    /** These updates, applied only if {@code attribute} is absent (expected 0) or equals {@code expected}. */
    ConditionalUpdate onlyIfVersion(String attribute, long expected) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.put("#cv", attribute);
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        String condition;
        if (expected == 0) {
            condition = "attribute_not_exists(#cv)";
        } else {
            condition = "#cv = :cv";
            allValues.put(":cv", AttributeValue.fromN(Long.toString(expected)));
        }
        return new ConditionalUpdate(expression, condition, allNames, allValues);
    }

    /** An update expression with its condition and placeholders. */
    record ConditionalUpdate(
            String expression, String condition, Map<String, String> names, Map<String, AttributeValue> values) {}
}
