package io.cloudconnector.common.id;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;
import java.util.regex.Pattern;

/**
 * The connector's identifiers: ULIDs (sortable by creation time) with a prefix naming the resource,
 * e.g. {@code vlt-01jd3...}, {@code rp-01JD3...}, {@code j-01JD3...}.
 */
public final class Ids {

    private static final Pattern ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

    private Ids() {}

    /** A new ULID, monotonic within this JVM. */
    public static String ulid() {
        return UlidCreator.getMonotonicUlid().toString();
    }

    /**
     * A new vault id, {@code vlt-<ulid>} with the ULID in lower case: vault ids name AWS resources (the
     * bucket {@code <connectorId>-<vaultId>}, the stack, the KMS context), and bucket names are lower case.
     */
    public static String vault() {
        return IdKind.VAULT.next();
    }

    /** A new recovery-point id, {@code rp-<ulid>}. */
    public static String recoveryPoint() {
        return IdKind.RECOVERY_POINT.next();
    }

    /** A new job id, {@code j-<ulid>}. */
    public static String job() {
        return IdKind.JOB.next();
    }

    /** Whether {@code id} is a well-formed id of that kind (right prefix, valid ULID in the kind's case). */
    public static boolean isValid(IdKind kind, String id) {
        if (!id.startsWith(kind.prefix())) {
            return false;
        }
        String ulid = id.substring(kind.prefix().length());
        return kind.lowerCase()
                ? ulid.equals(ulid.toLowerCase(java.util.Locale.ROOT))
                        && isUlid(ulid.toUpperCase(java.util.Locale.ROOT))
                : isUlid(ulid);
    }

    /** Whether {@code value} is a canonical (upper-case) ULID. */
    public static boolean isUlid(String value) {
        return ULID.matcher(value).matches() && Ulid.isValid(value);
    }
}
