package io.cloudconnector.scalez.crypto;

import io.cloudconnector.scalez.ScalezException;

/** No key file of the repository opens with the passphrase or KMS key and context given. */
public class WrongCredentialException extends ScalezException {

    public WrongCredentialException(String message) {
        super(message);
    }

    public WrongCredentialException(String message, Throwable cause) {
        super(message, cause);
    }
}
