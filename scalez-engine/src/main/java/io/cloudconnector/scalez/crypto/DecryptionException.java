package io.cloudconnector.scalez.crypto;

import io.cloudconnector.scalez.ScalezException;

/** Sealed bytes did not authenticate: the wrong key, or bytes that were changed or cut short. */
public class DecryptionException extends ScalezException {

    public DecryptionException(String message) {
        super(message);
    }
}
