package io.cloudconnector.scalez.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ObjectIdTests {

    @Property(seed = "20260101")
    void bytesAndHexRoundTripAndOrderIsUnsignedByteOrder(@ForAll @Size(32) byte[] x, @ForAll @Size(32) byte[] y) {
        var a = ObjectId.fromBytes(x, 0);
        var b = ObjectId.fromBytes(y, 0);
        assertThat(a.toBytes()).isEqualTo(x);
        assertThat(ObjectId.parse(a.hex())).isEqualTo(a);
        assertThat(a.hex()).isEqualTo(HexFormat.of().formatHex(x));
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(Arrays.compareUnsigned(x, y)));
    }

    @Test
    void sha256MatchesTheStandardVector() {
        assertThat(ObjectId.sha256("abc".getBytes()).hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void chunkIdIsHmacSha256UnderTheMacKey() {
        var key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        // python3: hmac.new(bytes(range(32)), b'scalez chunk', hashlib.sha256).hexdigest()
        assertThat(new ChunkHasher(key).hash("scalez chunk".getBytes()).hex())
                .isEqualTo("5ded45351168b3fff3107ad7b06bf0b156f358244d813570c8cbd0bf00692318");
        key[0] = 1;
        assertThat(new ChunkHasher(key).hash("scalez chunk".getBytes()).hex())
                .isNotEqualTo("5ded45351168b3fff3107ad7b06bf0b156f358244d813570c8cbd0bf00692318");
    }
}
