package io.cloudconnector.inventory.asset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An asset's {@code protection} as the API shows it, worked out when the asset is read (see
 * {@link ProtectionRules}).
 *
 * @param status {@code protected}, {@code at-risk} or {@code unprotected}
 * @param policyIds the policies whose selection picks the asset (paused ones included), sorted
 * @param rpoMinutes the shortest interval of the running policies among them (of the paused ones when all are
 *     paused); null when none covers it
 * @param lastTestedRecoveryPoint the newest live recovery point whose newest restore test passed, null if none
 * @param reasons why the status is what it is; empty for {@code protected} once a recovery point was made
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AssetProtection(
        String status,
        List<String> policyIds,
        @Nullable Long rpoMinutes,
        @Nullable Point lastRecoveryPoint,
        @Nullable Point lastCleanRecoveryPoint,
        @Nullable TestedPoint lastTestedRecoveryPoint,
        List<String> reasons) {

    public static final String PROTECTED = "protected";
    public static final String AT_RISK = "at-risk";
    public static final String UNPROTECTED = "unprotected";
    /** The three statuses, as {@code ?protection=} accepts them. */
    public static final List<String> STATUSES = List.of(PROTECTED, AT_RISK, UNPROTECTED);

    public AssetProtection {
        policyIds = List.copyOf(policyIds);
        reasons = List.copyOf(reasons);
    }

    /** A recovery point: its id and when it was made. */
    public record Point(String id, Instant createdAt) {}

    /**
     * A recovery point a restore test proved: its id, when it was made, when the test ran and the recovery time it
     * measured (start to a usable restored snapshot).
     */
    public record TestedPoint(String id, Instant createdAt, Instant testedAt, double recoveryTimeSeconds) {}
}
