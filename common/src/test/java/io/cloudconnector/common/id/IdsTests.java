package io.cloudconnector.common.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTests {

    @Test
    void prefixesNameTheResource() {
        assertThat(Ids.vault()).startsWith("vlt-").hasSize(30);
        assertThat(Ids.recoveryPoint()).startsWith("rp-").hasSize(29);
        assertThat(Ids.job()).startsWith("j-").hasSize(28);
    }

    @Test
    void idsSortInCreationOrder() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(Ids.job());
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void validatesKindAndUlid() {
        assertThat(Ids.isValid(IdKind.VAULT, Ids.vault())).isTrue();
        assertThat(Ids.isValid(IdKind.VAULT, Ids.job())).isFalse();
        assertThat(Ids.isValid(IdKind.JOB, "j-not-a-ulid")).isFalse();
        assertThat(Ids.isValid(IdKind.JOB, "j-" + Ids.ulid().toLowerCase())).isFalse();
        assertThat(Ids.vault()).matches("vlt-[0-9a-z]{26}");
        assertThat(Ids.isValid(IdKind.VAULT, "vlt-" + Ids.ulid()))
                .as("vault ids are lower case")
                .isFalse();
        assertThat(Ids.isUlid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ")).isFalse();
        assertThat(Ids.isUlid("01JD3ZRX5KQ0M8YV5D3M0RZ2J4")).isTrue();
    }
}
