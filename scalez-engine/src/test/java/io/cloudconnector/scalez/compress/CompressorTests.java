package io.cloudconnector.scalez.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.scalez.ScalezException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompressorTests {

    private final Compressor compressor = new Compressor(Compressor.DEFAULT_LEVEL);

    @Test
    void compressibleDataIsZstdAndRoundTrips() {
        var raw = "the same words again and again ".repeat(5000).getBytes();
        var c = compressor.compress(raw);
        assertThat(c.codec()).isEqualTo(Codec.ZSTD);
        assertThat(c.data().length).isLessThan(raw.length / 10);
        assertThat(Compressor.decompress(c.codec(), c.data(), raw.length)).isEqualTo(raw);
    }

    @Test
    void incompressibleDataIsStoredRaw() {
        var raw = new byte[100_000];
        new Random(1).nextBytes(raw);
        var c = compressor.compress(raw);
        assertThat(c.codec()).isEqualTo(Codec.NONE);
        assertThat(c.data()).isEqualTo(raw);
    }

    @Test
    void damagedOrMislabelledDataIsAnError() {
        var raw = "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabc".repeat(100).getBytes();
        var c = compressor.compress(raw);
        var damaged = c.data().clone();
        damaged[damaged.length / 2] ^= 0x55;
        assertThatThrownBy(() -> Compressor.decompress(Codec.ZSTD, damaged, raw.length))
                .isInstanceOf(ScalezException.class);
        assertThatThrownBy(() -> Compressor.decompress(Codec.ZSTD, c.data(), raw.length + 1))
                .isInstanceOf(ScalezException.class);
        assertThatThrownBy(() -> Compressor.decompress(Codec.NONE, raw, raw.length - 1))
                .isInstanceOf(ScalezException.class);
    }
}
