package io.cloudconnector.scalez.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZeroBlocksTests {

    @ParameterizedTest
    @CsvSource({
        "524288, -1, 524288, true",
        "524288, 0, 524288, false",
        "524288, 524287, 524288, false",
        "524288, 65536, 524288, false",
        "524288, 1000, 1000, true", // a set byte past the length does not count
        "100, 99, 100, false",
        "0, -1, 0, true",
    })
    void findsAnyNonZeroByteWithinTheLength(int size, int setAt, int length, boolean zero) {
        var data = new byte[size];
        if (setAt >= 0) {
            data[setAt] = 1;
        }
        assertThat(ZeroBlocks.isZero(data, length)).isEqualTo(zero);
    }
}
