package io.cloudconnector.scalez.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobKeysTests {

    @Test
    void keysSortInUtf8ByteOrderAsS3ListsThem() {
        // String.compareTo would put the emoji (a surrogate pair, 0xD83D...) before U+FFFD.
        var keys = List.of("k/\uD83D\uDE00", "k/\uFFFD", "k/\u00E9", "k/z", "k/Z", "k/-", "k/");

        assertThat(keys.stream().sorted(BlobKeys.ORDER).toList())
                .containsExactly("k/", "k/-", "k/Z", "k/z", "k/\u00E9", "k/\uFFFD", "k/\uD83D\uDE00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"config", "packs/3f/3f9a", "snapshots/rp-1", "a/..b", "a/.hidden", "a b/c"})
    void acceptsKeysThatAreRelativePaths(String key) {
        assertThat(BlobKeys.requireValid(key)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "packs/", "packs/3", "packs/3f/", "a/..b"})
    void acceptsPrefixesWhoseLastSegmentIsPartial(String prefix) {
        assertThat(BlobKeys.requireValidPrefix(prefix)).isEqualTo(prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\nb", "tab\there"})
    void rejectsControlCharacters(String key) {
        assertThatThrownBy(() -> BlobKeys.requireValid(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobKeys.requireValidPrefix(key)).isInstanceOf(IllegalArgumentException.class);
    }
}
