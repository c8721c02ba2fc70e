package io.cloudconnector.scalez.repo.lock;

import io.cloudconnector.scalez.ScalezException;

/** The repository is locked by someone else, or a held lock was lost. */
public class LockedException extends ScalezException {

    public LockedException(String message) {
        super(message);
    }
}
