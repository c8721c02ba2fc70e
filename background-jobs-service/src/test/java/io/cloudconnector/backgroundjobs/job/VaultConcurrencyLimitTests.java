package io.cloudconnector.backgroundjobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.JobKind;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VaultConcurrencyLimitTests {

    /** A launcher whose runs last until {@link #finish} ends them. */
    static final class Runs implements JobLauncher {
        final Set<String> running = new HashSet<>();
        final Set<String> launched = new HashSet<>();

        @Override
        public void launch(JobRecord job) {
            running.add(job.id());
            launched.add(job.id());
        }

        @Override
        public boolean launched(JobRecord job) {
            return running.contains(job.id());
        }

        @Override
        public void withdraw(JobRecord job) {}

        void finish(int count) {
            running.stream().limit(count).toList().forEach(running::remove);
        }
    }

    private static JobRecord job(String id, String vault, boolean policy) {
        return JobRecord.queued(
                id,
                JobKind.EBS_BACKUP,
                vault,
                "aws:ebs:1:r:vol-" + id,
                null,
                policy ? Map.of(JobRecord.POLICY_ID, "pol-1") : Map.of(),
                Instant.EPOCH);
    }

    @Test
    void fiftyPolicyBackupsOfAVaultRunEightAtATimeAndTheRestWaitForTheReconciler() {
        var runs = new Runs();
        var limit = new VaultConcurrencyLimit(runs, 8);
        List<JobRecord> jobs = IntStream.range(0, 50)
                .mapToObj(i -> job("j" + i, "vlt-a", true))
                .toList();

        jobs.forEach(limit::launch);

        assertThat(runs.launched).hasSize(8);
        assertThat(limit.inFlight("vlt-a")).isEqualTo(8);

        // Three end; the reconciler's next pass offers every queued job again: three more start.
        runs.finish(3);
        jobs.stream().filter(j -> !runs.launched.contains(j.id())).forEach(limit::launch);
        assertThat(runs.launched).hasSize(11);
        assertThat(limit.inFlight("vlt-a")).isEqualTo(8);

        // Until all have run.
        for (int pass = 0; pass < 20 && runs.launched.size() < 50; pass++) {
            runs.finish(8);
            jobs.stream().filter(j -> !runs.launched.contains(j.id())).forEach(limit::launch);
        }
        assertThat(runs.launched).hasSize(50);
    }

    @Test
    void anotherVaultAndABackupAskedForByHandAreNotHeldBack() {
        var runs = new Runs();
        var limit = new VaultConcurrencyLimit(runs, 2);
        limit.launch(job("a1", "vlt-a", true));
        limit.launch(job("a2", "vlt-a", true));
        limit.launch(job("a3", "vlt-a", true));
        limit.launch(job("b1", "vlt-b", true));
        limit.launch(job("manual", "vlt-a", false));

        assertThat(runs.launched).containsExactlyInAnyOrder("a1", "a2", "b1", "manual");
        assertThat(limit.inFlight("vlt-a")).isEqualTo(3);
        // A job already launched (a relaunch after its worker died) is not held back by the count it is part of.
        runs.running.remove("a1");
        runs.launched.remove("a1");
        limit.launch(job("a2", "vlt-a", true));
        assertThat(runs.launched).contains("a2");
    }
}
