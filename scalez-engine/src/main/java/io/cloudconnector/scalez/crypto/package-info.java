/** Encryption: AES-256-GCM sealing and the repository master keys, wrapped by a passphrase or by AWS KMS. */
@NullMarked
package io.cloudconnector.scalez.crypto;

import org.jspecify.annotations.NullMarked;
