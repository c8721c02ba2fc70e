package io.cloudconnector.backgroundjobs.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One run of a policy: the assets it selected, the backup jobs it started and the assets it skipped with why.
 *
 * @param trigger {@code schedule} or {@code manual}
 * @param state {@code running} (selecting and admitting), {@code completed}, {@code skipped} (paused, vault
 *     unavailable: nothing started) or {@code missed} (handled after its start window)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PolicyRun(
        String id,
        String policyId,
        String trigger,
        Instant scheduledAt,
        @Nullable Instant startedAt,
        int assetsSelected,
        List<StartedJob> jobs,
        List<Skipped> skipped,
        String state) {

    static final String SCHEDULE = "schedule";
    static final String MANUAL = "manual";
    static final String RUNNING = "running";
    static final String COMPLETED = "completed";
    static final String SKIPPED = "skipped";
    static final String MISSED = "missed";

    PolicyRun {
        jobs = List.copyOf(jobs);
        skipped = List.copyOf(skipped);
    }

    record StartedJob(String assetId, String jobId) {}

    record Skipped(String assetId, String reason) {}

    /** Why an asset was not backed up by a run. */
    static final class Reasons {
        static final String ALREADY_RUNNING = "already-running";
        static final String ASSET_GONE = "asset-gone";
        static final String VAULT_UNAVAILABLE = "vault-unavailable";
        static final String PAUSED = "paused";
        static final String OUTSIDE_WINDOW = "outside-window";

        private Reasons() {}
    }
}
