package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque page tokens of the asset list: the index position to resume after and the fingerprint of the
 * filters it was handed out for. A token of another list or other filters, or a crafted one, is refused
 * (400 naming {@code pageToken}): it could only resume at a position that query never reached.
 */
final class AssetPageTokens {

    private AssetPageTokens() {}

    static String encode(Map<String, AttributeValue> key, String fingerprint) {
        String text = String.join(
                "\n", fingerprint, Items.string(key, ServiceTable.PK), Items.string(key, ServiceTable.GSI1_SK));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, AttributeValue> decode(String token, String fingerprint) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw invalid("is not a token this list handed out");
        }
        if (parts.length != 3
                || !parts[1].startsWith("ASSET#")
                || !parts[2].endsWith("#" + parts[1].substring("ASSET#".length()))) {
            throw invalid("is not a token this list handed out");
        }
        if (!parts[0].equals(fingerprint)) {
            throw invalid("belongs to a list with other filters");
        }
        return Map.of(
                ServiceTable.PK,
                ServiceTable.s(parts[1]),
                ServiceTable.SK,
                ServiceTable.s(AssetItems.SK),
                ServiceTable.GSI1_PK,
                ServiceTable.s(AssetItems.LIST),
                ServiceTable.GSI1_SK,
                ServiceTable.s(parts[2]));
    }

    private static InvalidInputException invalid(String message) {
        return new InvalidInputException("pageToken", message);
    }
}
