package io.cloudconnector.scalez.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChunkKeysTests {

    /** RFC 5869 written out with HMAC-SHA256: PRK = HMAC(salt, IKM); OKM (32 bytes) = HMAC(PRK, info || 0x01). */
    private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) throws GeneralSecurityException {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        var prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        return mac.doFinal(new byte[] {1});
    }

    @Property(tries = 50, seed = "20261126")
    void aBlobKeyIsHkdfSha256OfTheDataKeyWithTheChunkIdAsInfo(
            @ForAll @Size(32) byte[] dataKey, @ForAll @Size(32) byte[] chunkId) throws GeneralSecurityException {
        assertThat(ChunkKeys.of(dataKey).keyFor(chunkId))
                .isEqualTo(hkdf(dataKey, "ScaleZ chunk keys v2".getBytes(StandardCharsets.US_ASCII), chunkId))
                .isNotEqualTo(dataKey);
    }

    @Test
    void everyChunkGetsAnotherKeyAndABlobOpensOnlyUnderItsOwn() {
        var keys = ChunkKeys.of(new byte[32]);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            var id = new byte[32];
            id[0] = (byte) i;
            id[1] = (byte) (i >> 8);
            assertThat(seen.add(java.util.HexFormat.of().formatHex(keys.keyFor(id))))
                    .isTrue();
        }
        var a = new byte[32];
        var b = new byte[32];
        b[31] = 1;
        var aad = "aad".getBytes(StandardCharsets.US_ASCII);
        var sealed = keys.aeadFor(a).seal("chunk a".getBytes(StandardCharsets.US_ASCII), aad);
        assertThat(keys.aeadFor(a).open(sealed, aad))
                .asString(StandardCharsets.US_ASCII)
                .isEqualTo("chunk a");
        assertThatThrownBy(() -> keys.aeadFor(b).open(sealed, aad)).isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> new Aead(new byte[32]).open(sealed, aad)).isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> ChunkKeys.of(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThat(keys.toString()).doesNotContain("0000");
    }
}
