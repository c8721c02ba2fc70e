package io.cloudconnector.common.event;

import org.jspecify.annotations.Nullable;

/**
 * What a job's progress counts ({@code JobStarted.unit}, {@code JobProgressed.unit}): lower-case plural
 * nouns. The set is open (a reader shows an unknown unit as it is); a missing unit means bytes.
 */
public final class ProgressUnits {

    public static final String BYTES = "bytes";
    public static final String ASSETS = "assets";
    public static final String CHECKS = "checks";
    public static final String FILES = "files";

    private ProgressUnits() {}

    /** The unit, bytes when none was given (an event from an older producer). */
    public static String orBytes(@Nullable String unit) {
        return unit == null || unit.isBlank() ? BYTES : unit;
    }
}
