package io.cloudconnector.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.web.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class PageTokensTests {

    private static final Map<String, AttributeValue> KEY = Map.of(
            "pk",
            AttributeValue.fromS("VAULT#vlt-1"),
            "sk",
            AttributeValue.fromS("VAULT"),
            "gsi1pk",
            AttributeValue.fromS("VAULT"),
            "gsi1sk",
            AttributeValue.fromS("01JD3ZRX5KQ0M8YV5D3M0RZ2J4"));

    @Test
    void roundTripsAndIsUrlSafe() {
        var token = PageTokens.encode(KEY);

        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(PageTokens.decode(token, "VAULT")).isEqualTo(KEY);
    }

    @Test
    void aTokenOnlyWorksForItsOwnList() {
        var token = PageTokens.encode(KEY);

        assertThatThrownBy(() -> PageTokens.decode(token, "JOB"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("pageToken");
    }

    @Test
    void refusesGarbageAndCraftedKeys() {
        var crafted = Base64.getUrlEncoder()
                .encodeToString("gsi1pk=VAULT\npk=SECRET\nsk=x\ngsi1sk=y\nother=z\n".getBytes(StandardCharsets.UTF_8));
        for (var bad : new String[] {"***", "bm9wZQ", crafted}) {
            assertThatThrownBy(() -> PageTokens.decode(bad, "VAULT")).as(bad).isInstanceOf(InvalidInputException.class);
        }
    }
}
