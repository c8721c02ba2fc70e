package io.cloudconnector.scalez.crypto;

import io.cloudconnector.scalez.ByteReader;
import io.cloudconnector.scalez.ByteWriter;
import io.cloudconnector.scalez.FormatException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * A key file ({@code keys/<sha256>}): the master key set sealed with AES-256-GCM under a key-encryption
 * key that comes from a passphrase (Argon2id) or from KMS {@code GenerateDataKey}; every byte before the
 * sealed key set is its AAD. Layout in docs/storage-format.md.
 */
public record KeyFile(Kind kind, String repository, String description, byte[] encoded) {

    private static final byte[] MAGIC = "SCZK".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int KDF_ARGON2ID = 1;
    private static final int SALT_LENGTH = 16;
    private static final int SEALED_LENGTH = Aead.OVERHEAD + MasterKeys.LENGTH;
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 64;

    /** How the key-encryption key is obtained. */
    public enum Kind {
        /** Argon2id of a passphrase. */
        PASSPHRASE(1),
        /** A KMS data key. */
        KMS(2);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind ofCode(int code) {
            for (var k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new FormatException("Unknown key kind " + code);
        }
    }

    /** Wraps {@code keys} for {@code repository} with {@code credential}; calls KMS for a KMS credential. */
    public static KeyFile wrap(MasterKeys keys, KeyCredential credential, String repository) {
        var out = new ByteWriter(256).bytes(MAGIC).u8(VERSION);
        byte[] kek;
        String description;
        switch (credential) {
            case KeyCredential.Passphrase p -> {
                var salt = new byte[SALT_LENGTH];
                new SecureRandom().nextBytes(salt);
                var kdf = p.kdf();
                out.u8(Kind.PASSPHRASE.code)
                        .str(repository)
                        .u8(KDF_ARGON2ID)
                        .u32(kdf.memoryKiB())
                        .u32(kdf.iterations())
                        .u8(kdf.parallelism())
                        .u8(SALT_LENGTH)
                        .bytes(salt);
                kek = argon2id(p.passphrase(), salt, kdf);
                description = "passphrase (argon2id m=" + kdf.memoryKiB() + "KiB t=" + kdf.iterations() + " p="
                        + kdf.parallelism() + ")";
            }
            case KeyCredential.KmsKey k -> {
                var context = context(k.vault(), repository);
                try {
                    var response = k.kms()
                            .generateDataKey(r -> r.keyId(k.keyId())
                                    .keySpec(DataKeySpec.AES_256)
                                    .encryptionContext(context));
                    kek = response.plaintext().asByteArray();
                    var blob = response.ciphertextBlob().asByteArray();
                    out.u8(Kind.KMS.code)
                            .str(repository)
                            .str(k.keyId())
                            .str(k.vault())
                            .u16(blob.length)
                            .bytes(blob);
                } catch (KmsException e) {
                    throw new WrongCredentialException(
                            "KMS GenerateDataKey with key " + k.keyId() + " failed: "
                                    + e.awsErrorDetails().errorMessage(),
                            e);
                }
                description = "kms " + k.keyId() + " vault=" + k.vault();
            }
        }
        var header = out.toByteArray();
        var sealed = new Aead(kek).seal(keys.encode(), header);
        Arrays.fill(kek, (byte) 0);
        var kind = credential instanceof KeyCredential.Passphrase ? Kind.PASSPHRASE : Kind.KMS;
        return new KeyFile(kind, repository, description, out.bytes(sealed).toByteArray());
    }

    /** Parses a key file without unlocking it. */
    public static KeyFile parse(byte[] encoded) {
        var in = new ByteReader(encoded);
        in.expectHeader(MAGIC, VERSION, "key file");
        var kind = Kind.ofCode(in.u8());
        var repository = in.str();
        String description;
        if (kind == Kind.PASSPHRASE) {
            var kdf = readKdf(in);
            in.skip(in.u8());
            description = "passphrase (argon2id m=" + kdf.memoryKiB() + "KiB t=" + kdf.iterations() + " p="
                    + kdf.parallelism() + ")";
        } else {
            var keyId = in.str();
            var vault = in.str();
            in.skip(in.u16());
            description = "kms " + keyId + " vault=" + vault;
        }
        in.skip(SEALED_LENGTH);
        in.expectEnd("Key file");
        return new KeyFile(kind, repository, description, encoded);
    }

    private static KdfParameters readKdf(ByteReader in) {
        int kdf = in.u8();
        if (kdf != KDF_ARGON2ID) {
            throw new FormatException("Unknown KDF " + kdf);
        }
        KdfParameters params;
        try {
            params = new KdfParameters(in.u32(), in.u32(), in.u8());
        } catch (IllegalArgumentException e) {
            throw new FormatException(e.getMessage());
        }
        // A damaged or hostile key file must not make us allocate gigabytes or spin for hours.
        if (params.memoryKiB() > MAX_MEMORY_KIB || params.iterations() > MAX_ITERATIONS) {
            throw new FormatException("Argon2id parameters out of range: " + params);
        }
        return params;
    }

    /** Whether {@code credential} is of the kind that can open this file. */
    public boolean accepts(KeyCredential credential) {
        return (kind == Kind.PASSPHRASE) == (credential instanceof KeyCredential.Passphrase);
    }

    /**
     * Unlocks the master keys; a wrong passphrase or a KMS refusal is a {@link WrongCredentialException}.
     */
    public MasterKeys unwrap(KeyCredential credential) {
        var in = new ByteReader(encoded);
        in.skip(MAGIC.length + 2);
        in.str();
        byte[] kek = switch (credential) {
            case KeyCredential.Passphrase p -> {
                if (kind != Kind.PASSPHRASE) {
                    throw new WrongCredentialException("Key file is KMS-wrapped; a passphrase cannot open it");
                }
                var kdf = readKdf(in);
                var salt = in.bytes(in.u8());
                yield argon2id(p.passphrase(), salt, kdf);
            }
            case KeyCredential.KmsKey k -> {
                if (kind != Kind.KMS) {
                    throw new WrongCredentialException("Key file is passphrase-wrapped; KMS cannot open it");
                }
                var storedKeyId = in.str();
                var storedVault = in.str();
                var blob = in.bytes(in.u16());
                var context = context(k.vault(), repository);
                try {
                    yield k.kms()
                            .decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(blob))
                                    .keyId(k.keyId())
                                    .encryptionContext(context))
                            .plaintext()
                            .asByteArray();
                } catch (InvalidCiphertextException e) {
                    throw new WrongCredentialException(
                            "KMS refused to unwrap the repository key with key " + k.keyId()
                                    + " and context " + context + " (it was wrapped with key " + storedKeyId
                                    + ", vault "
                                    + storedVault + "): " + e.awsErrorDetails().errorMessage(),
                            e);
                } catch (KmsException e) {
                    if (e.statusCode() / 100 == 4) {
                        throw new WrongCredentialException(
                                "KMS refused to unwrap the repository key with key " + k.keyId() + " and context "
                                        + context + ": " + e.awsErrorDetails().errorMessage(),
                                e);
                    }
                    throw e;
                }
            }
        };
        int headerLength = in.position();
        var header = Arrays.copyOf(encoded, headerLength);
        try {
            return MasterKeys.decode(new Aead(kek).open(encoded, headerLength, encoded.length - headerLength, header));
        } catch (DecryptionException e) {
            throw new WrongCredentialException(
                    kind == Kind.PASSPHRASE ? "Wrong passphrase" : "The KMS data key does not open the repository key");
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    private static Map<String, String> context(String vault, String repository) {
        return Map.of("vault", vault, "repository", repository);
    }

    static byte[] argon2id(String passphrase, byte[] salt, KdfParameters kdf) {
        var password = passphrase.getBytes(StandardCharsets.UTF_8);
        try {
            var fast = NativeArgon2.hash(password, salt, kdf, 32);
            if (fast.isPresent()) {
                return fast.get();
            }
            return argon2idJava(password, salt, kdf);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    /** Bouncy Castle's Argon2id: what {@link #argon2id} falls back to without the C library. */
    static byte[] argon2idJava(byte[] password, byte[] salt, KdfParameters kdf) {
        var params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(kdf.memoryKiB())
                .withIterations(kdf.iterations())
                .withParallelism(kdf.parallelism())
                .build();
        var generator = new Argon2BytesGenerator();
        generator.init(params);
        var out = new byte[32];
        generator.generateBytes(password, out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyFile other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "KeyFile[" + kind + ", " + repository + ", " + description + "]";
    }
}
