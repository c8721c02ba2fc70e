package io.cloudconnector.scalez.remote;

import io.cloudconnector.scalez.ScalezException;

/** A remote writer (a ScaleZ server) failed a session: what the backup sent cannot be relied on. */
public class RemoteWriterException extends ScalezException {

    public RemoteWriterException(String message) {
        super(message);
    }

    public RemoteWriterException(String message, Throwable cause) {
        super(message, cause);
    }
}
