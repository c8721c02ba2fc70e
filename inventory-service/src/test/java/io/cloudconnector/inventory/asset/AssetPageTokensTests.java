package io.cloudconnector.inventory.asset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssetPageTokensTests {

    private static final String ID = "aws:ebs:123456789012:us-east-1:vol-1";
    private static final Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> KEY = Map.of(
            ServiceTable.PK,
            ServiceTable.s("ASSET#" + ID),
            ServiceTable.SK,
            ServiceTable.s("ASSET"),
            ServiceTable.GSI1_PK,
            ServiceTable.s("ASSET"),
            ServiceTable.GSI1_SK,
            ServiceTable.s("2026-11-26T10:00:00.000Z#" + ID));

    @Test
    void resumesAtTheKeyItWasHandedOutFor() {
        assertThat(AssetPageTokens.decode(AssetPageTokens.encode(KEY, "f1"), "f1"))
                .isEqualTo(KEY);
    }

    @Test
    void refusesATokenOfOtherFilters() {
        var token = AssetPageTokens.encode(KEY, "f1");

        assertThatThrownBy(() -> AssetPageTokens.decode(token, "f2"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("pageToken: belongs to a list with other filters"));
    }

    @Test
    void refusesGarbageAndCraftedTokens() {
        var crafted =
                Base64.getUrlEncoder().encodeToString("f1\nVAULT#vlt-1\n2026#vlt-1".getBytes(StandardCharsets.UTF_8));
        var mismatched = Base64.getUrlEncoder()
                .encodeToString(("f1\nASSET#" + ID + "\n2026#other").getBytes(StandardCharsets.UTF_8));

        for (var token : new String[] {"%%%", crafted, mismatched, ""}) {
            assertThatThrownBy(() -> AssetPageTokens.decode(token, "f1"))
                    .as(token)
                    .isInstanceOfSatisfying(
                            InvalidInputException.class,
                            e -> assertThat(e.errors().getFirst().field()).isEqualTo("pageToken"));
        }
    }
}
