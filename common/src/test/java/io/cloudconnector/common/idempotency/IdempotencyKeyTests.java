package io.cloudconnector.common.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which {@code Idempotency-Key} values are keys: 1 to 255 characters from {@code !} (0x21) to {@code ~} (0x7E). */
class IdempotencyKeyTests {

    @ParameterizedTest
    @ValueSource(strings = {"k", "!", "~", "nightly-2026-12-07", "a:b/c?d=e&f#g", "01JD3ZRX5KQ0M8YV5D3M0RZ2J4"})
    void visibleAsciiIsAKey(String key) {
        assertThat(Idempotency.checkKey(key)).isEqualTo(key);
    }

    @Test
    void aKeyIsAtMost255Characters() {
        assertThat(Idempotency.checkKey("k".repeat(255))).hasSize(255);
        assertRefused("k".repeat(256));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "a b",
                "a\tb",
                "a\u007fb",
                "a\u0000b",
                "n\u00e4chtlich",
                "\u2603",
                " leading",
                "trailing "
            })
    void anythingElseIsRefusedNamingTheHeader(String key) {
        assertRefused(key);
    }

    @Test
    void noKeyIsNoKey() {
        assertThat(Idempotency.checkKey(null)).isNull();
    }

    private static void assertRefused(String key) {
        assertThatThrownBy(() -> Idempotency.checkKey(key))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldProblem::field)
                                .containsExactly("Idempotency-Key"));
    }
}
