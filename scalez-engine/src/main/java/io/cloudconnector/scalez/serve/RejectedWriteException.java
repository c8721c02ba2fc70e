package io.cloudconnector.scalez.serve;

import io.cloudconnector.scalez.ScalezException;

/**
 * A {@link SharedWriter} refused what a session sent: a blob that does not authenticate or has unknown codes,
 * or a manifest that does not open, needs chunks the repository lacks, or differs from one stored already.
 */
public class RejectedWriteException extends ScalezException {

    public RejectedWriteException(String message) {
        super(message);
    }
}
