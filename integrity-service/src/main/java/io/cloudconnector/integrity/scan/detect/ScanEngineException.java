package io.cloudconnector.integrity.scan.detect;

import org.jspecify.annotations.Nullable;

/** A detection engine could not run (missing, crashed, timed out): the scan cannot vouch for the files. */
public class ScanEngineException extends RuntimeException {

    public ScanEngineException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
