package io.cloudconnector.backgroundjobs.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches jobs through the mode's launcher, at most {@code limit} jobs started by protection policies (those with a
 * {@code policyId} parameter) in flight per vault: one more stays {@code queued}, and the reconciler offers it again
 * at its next pass, when one may have ended. A backup asked for by hand ({@code POST /v1/backups}) is never held
 * back, but counts. The count is this replica's: the jobs it launched whose run is still on its way or under way.
 */
public final class VaultConcurrencyLimit implements JobLauncher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VaultConcurrencyLimit.class);
    private final JobLauncher delegate;
    private final int limit;
    private final Map<String, Map<String, JobRecord>> inFlight = new ConcurrentHashMap<>();

    VaultConcurrencyLimit(JobLauncher delegate, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("connector.policies.vault-concurrency must be at least 1");
        }
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public synchronized void launch(JobRecord job) {
        var vault = inFlight.computeIfAbsent(job.vaultId(), v -> new ConcurrentHashMap<>());
        int running = inFlight(job.vaultId());
        if (job.parameter(JobRecord.POLICY_ID) != null && !vault.containsKey(job.id()) && running >= limit) {
            log.debug("{} stays queued: vault {} runs {} policy backups already", job.id(), job.vaultId(), limit);
            return;
        }
        vault.put(job.id(), job);
        delegate.launch(job);
    }

    /** The jobs of a vault launched here whose run is on its way or under way. */
    public synchronized int inFlight(String vaultId) {
        var vault = inFlight.getOrDefault(vaultId, Map.of());
        vault.values().removeIf(j -> !delegate.launched(j));
        return vault.size();
    }

    @Override
    public boolean launched(JobRecord job) {
        return delegate.launched(job);
    }

    @Override
    public void withdraw(JobRecord job) {
        delegate.withdraw(job);
    }

    @Override
    public void close() throws Exception {
        if (delegate instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
