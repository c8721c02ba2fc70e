package io.cloudconnector.filesystems;

import com.fasterxml.jackson.annotation.JsonValue;
import io.cloudconnector.common.event.WireNames;

/**
 * Something a scan noticed about a volume or file system: where (e.g. {@code disk0 p1 ext4}), how bad, and
 * what. {@code error} means damage (the recovery point is not vouched for as clean); {@code warning} means
 * part of it could not be checked; {@code info} is context.
 */
public record Finding(Severity severity, String location, String message) {

    /** How bad a finding is. */
    public enum Severity {
        INFO,
        WARNING,
        ERROR;

        @JsonValue
        public String wireName() {
            return WireNames.of(this);
        }
    }

    public static Finding info(String location, String message) {
        return new Finding(Severity.INFO, location, message);
    }

    public static Finding warning(String location, String message) {
        return new Finding(Severity.WARNING, location, message);
    }

    public static Finding error(String location, String message) {
        return new Finding(Severity.ERROR, location, message);
    }
}
