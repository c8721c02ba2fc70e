package io.cloudconnector.common.store;

import io.cloudconnector.common.web.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque page tokens: the DynamoDB key to resume after, as URL-safe base64 of {@code name=value} lines.
 * A token is only accepted for the list it came from, so a crafted token cannot reach other items.
 */
final class PageTokens {

    private PageTokens() {}

    static String encode(Map<String, AttributeValue> lastEvaluatedKey) {
        var text = new StringBuilder();
        new TreeMap<>(lastEvaluatedKey).forEach((name, value) -> {
            if (value.s() == null) {
                throw new IllegalStateException("Page keys are strings; " + name + " is not");
            }
            text.append(name).append('=').append(value.s()).append('\n');
        });
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, AttributeValue> decode(String token, String list) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        try {
            var text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            for (var line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw invalid();
                }
                key.put(line.substring(0, eq), AttributeValue.fromS(line.substring(eq + 1)));
            }
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        var partition = key.get(ServiceTable.GSI1_PK);
        if (partition == null
                || !list.equals(partition.s())
                || !key.containsKey(ServiceTable.PK)
                || !key.containsKey(ServiceTable.SK)
                || !key.containsKey(ServiceTable.GSI1_SK)
                || key.size() != 4) {
            throw invalid();
        }
        return key;
    }

    private static InvalidInputException invalid() {
        return new InvalidInputException("pageToken", "is not a token this list handed out");
    }
}
