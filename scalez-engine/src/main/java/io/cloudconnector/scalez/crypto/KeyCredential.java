package io.cloudconnector.scalez.crypto;

import software.amazon.awssdk.services.kms.KmsClient;

/** What unlocks a repository's master keys: a passphrase, or a KMS key used with the vault's encryption context. */
public sealed interface KeyCredential {

    /** A passphrase stretched with Argon2id. */
    record Passphrase(String passphrase, KdfParameters kdf) implements KeyCredential {

        /** A passphrase with the default Argon2id cost (the cost of an existing key file is read from the file). */
        public static Passphrase of(String passphrase) {
            return new Passphrase(passphrase, KdfParameters.DEFAULT);
        }

        @Override
        public String toString() {
            return "Passphrase[redacted]";
        }
    }

    /** An AWS KMS key; the data key is bound to the encryption context {@code {vault, repository}}. */
    record KmsKey(KmsClient kms, String keyId, String vault) implements KeyCredential {}
}
