package io.cloudconnector.scalez.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class AeadTests {

    private final Aead aead = new Aead(new byte[32]);

    @Property(tries = 100, seed = "20260101")
    void sealedBytesOpenOnlyUnchangedAndWithTheSameAad(
            @ForAll @Size(max = 2000) byte[] plain, @ForAll @IntRange(min = 0, max = 100_000) int flipSeed) {
        var aad = "chunk id and header".getBytes();
        var sealed = aead.seal(plain, aad);
        assertThat(sealed).hasSize(plain.length + Aead.OVERHEAD);
        assertThat(aead.open(sealed, aad)).isEqualTo(plain);

        var flipped = sealed.clone();
        flipped[flipSeed % flipped.length] ^= 1;
        assertThatThrownBy(() -> aead.open(flipped, aad)).isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> aead.open(sealed, "another header".getBytes()))
                .isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> new Aead(new byte[32]).open(java.util.Arrays.copyOf(sealed, sealed.length - 1), aad))
                .isInstanceOf(DecryptionException.class);
    }

    @Property(tries = 20, seed = "20260101")
    void everySealUsesAFreshNonce(@ForAll @Size(max = 100) byte[] plain) {
        var a = aead.seal(plain, new byte[0]);
        var b = aead.seal(plain, new byte[0]);
        assertThat(java.util.Arrays.copyOf(a, Aead.NONCE_LENGTH))
                .isNotEqualTo(java.util.Arrays.copyOf(b, Aead.NONCE_LENGTH));
    }
}
