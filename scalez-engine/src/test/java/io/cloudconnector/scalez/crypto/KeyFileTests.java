package io.cloudconnector.scalez.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.scalez.ScalezException;
import org.junit.jupiter.api.Test;

class KeyFileTests {

    private static final KdfParameters CHEAP = new KdfParameters(1024, 1, 1);
    private final MasterKeys keys = MasterKeys.generate();

    @Test
    void passphraseWrapsAndUnwrapsTheMasterKeys() {
        var file = KeyFile.wrap(keys, new KeyCredential.Passphrase("s3cret", CHEAP), "repo-1");
        var parsed = KeyFile.parse(file.encoded());
        assertThat(parsed.repository()).isEqualTo("repo-1");
        assertThat(parsed.kind()).isEqualTo(KeyFile.Kind.PASSPHRASE);
        var unwrapped = parsed.unwrap(KeyCredential.Passphrase.of("s3cret"));
        assertThat(unwrapped.dataKey()).isEqualTo(keys.dataKey());
        assertThat(unwrapped.macKey()).isEqualTo(keys.macKey());
    }

    @Test
    void wrongPassphraseIsAClearError() {
        var file = KeyFile.wrap(keys, new KeyCredential.Passphrase("s3cret", CHEAP), "repo-1");
        assertThatThrownBy(() -> file.unwrap(KeyCredential.Passphrase.of("S3cret")))
                .isInstanceOf(WrongCredentialException.class)
                .hasMessage("Wrong passphrase");
    }

    @Test
    void aFlippedByteAnywhereNeverYieldsKeys() {
        var encoded = KeyFile.wrap(keys, new KeyCredential.Passphrase("s3cret", CHEAP), "repo-1")
                .encoded();
        for (int i = 0; i < encoded.length; i++) {
            var damaged = encoded.clone();
            damaged[i] ^= 0x01;
            assertThatThrownBy(() -> KeyFile.parse(damaged).unwrap(new KeyCredential.Passphrase("s3cret", CHEAP)))
                    .as("byte %d", i)
                    .isInstanceOf(ScalezException.class);
        }
    }

    @Test
    void argon2idMatchesAnIndependentImplementation() {
        // python3 cryptography 48: Argon2id(salt=bytes(16), length=32, iterations=1, lanes=1,
        // memory_cost=1024).derive(b'pw')
        assertThat(java.util.HexFormat.of().formatHex(KeyFile.argon2id("pw", new byte[16], CHEAP)))
                .isEqualTo("cbc34dd08f282c0f50d3733767e57700c5bed7ba601724231bbb81a881f52b01");
        assertThat(java.util.HexFormat.of().formatHex(KeyFile.argon2idJava("pw".getBytes(), new byte[16], CHEAP)))
                .isEqualTo("cbc34dd08f282c0f50d3733767e57700c5bed7ba601724231bbb81a881f52b01");
    }

    @Test
    void theCLibraryAndBouncyCastleDeriveTheSameKey() {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeArgon2.available(), "libargon2 is not on this machine");
        var salt = "sixteen byte salt".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (var kdf : java.util.List.of(
                new KdfParameters(8 * 1024, 2, 1),
                new KdfParameters(4 * 1024, 1, 2),
                new KdfParameters(8 * 1024, 1, 4),
                CHEAP)) {
            var password = "pässwörd".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(NativeArgon2.hash(password, salt, kdf, 32))
                    .as("%s", kdf)
                    .hasValueSatisfying(key -> assertThat(key).isEqualTo(KeyFile.argon2idJava(password, salt, kdf)));
        }
    }
}
