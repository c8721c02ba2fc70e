package io.cloudconnector.integrity.signatures;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Whether a scan may vouch for a recovery point with the signatures it had: not when they are older than
 * {@code max-signature-age}, and not with the built-in test signatures alone unless {@code accept-built-in} is set
 * (the local stack and tests). A scan without acceptable signatures that found nothing is {@code unknown}, reason
 * {@code signatures-stale}.
 *
 * @param set the signatures the scan loaded
 * @param now when the scan ran
 */
public record Freshness(SignatureSet set, Instant now, Duration maxAge, boolean acceptBuiltIn) {

    /** The reason code of a scan whose signatures were not acceptable. */
    public static final String STALE = "signatures-stale";

    /** Only the built-in test signatures (no official or custom database). */
    public boolean builtInOnly() {
        return set.databases().isEmpty();
    }

    /** How old the signatures are, or null when there is nothing to date (the built-in set). */
    public @Nullable Duration age() {
        var dated = set.datedAt();
        return dated == null ? null : Duration.between(dated, now);
    }

    /** Older than the maximum age. */
    public boolean stale() {
        var age = age();
        return age != null && age.compareTo(maxAge) > 0;
    }

    /** Whether a scan with these signatures may be {@code clean}. */
    public boolean acceptable() {
        return builtInOnly() ? acceptBuiltIn : !stale();
    }

    /** Why not acceptable ({@code signatures-stale: …}), or what an accepted built-in set means; null when fresh. */
    public @Nullable String explanation() {
        if (builtInOnly()) {
            var why = "only the connector's built-in test signatures were loaded (no ClamAV database in the "
                    + "connector's bucket or on this machine"
                    + (set.notes().isEmpty() ? "" : ": " + String.join("; ", set.notes()))
                    + ")";
            return acceptBuiltIn
                    ? why + "; accepted because connector.integrity.signatures.accept-built-in is set (local stack "
                            + "and tests only)"
                    : STALE + ": " + why;
        }
        if (stale()) {
            return STALE + ": the ClamAV signatures (" + set.version() + ") are " + describe(age()) + " old, more than "
                    + "connector.integrity.max-signature-age (" + describe(maxAge) + ")";
        }
        return null;
    }

    /** A duration in days, hours and minutes, e.g. {@code 3 d 4 h}. */
    public static String describe(@Nullable Duration duration) {
        if (duration == null) {
            return "-";
        }
        long minutes = duration.toMinutes();
        if (minutes < 60) {
            return minutes + " min";
        }
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        return days == 0 ? hours + " h" : hours == 0 ? days + " d" : days + " d " + hours + " h";
    }
}
