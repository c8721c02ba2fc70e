package io.cloudconnector.backgroundjobs.maintenance;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.maintenance.CheckReport;
import io.cloudconnector.scalez.maintenance.MaintenanceOptions;
import io.cloudconnector.scalez.maintenance.MaintenanceResult;
import io.cloudconnector.scalez.model.Finding;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.lock.LockedException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Every engine call a vault's maintenance makes, in one place: the engine's own maintenance run
 * ({@code Repository.maintain}: under the vault's exclusive DynamoDB lease for its whole length it forgets the given
 * points — those Object Lock still protects are kept and reported —, re-extends the locks held points need, prunes
 * with repack, checks structure and reads the day's rotating sample of packs, so every pack is read once per
 * read-data cycle), then measures ({@code stats()}). A repository the engine refuses to prune (a lost or damaged
 * object) is checked instead, so the damage is named.
 */
@Component
class MaintenanceEngine {

    /**
     * What the engine did.
     *
     * @param storedBytes what the repository holds after the run
     */
    record Outcome(MaintenanceResult result, List<String> damage, long storedBytes) {

        Outcome {
            damage = List.copyOf(damage);
        }
    }

    /** The recovery points the repository holds (their manifests). */
    Set<String> recoveryPoints(Repository repository) {
        return repository.list().stream()
                .map(io.cloudconnector.scalez.model.RecoveryPoint::id)
                .collect(java.util.stream.Collectors.toSet());
    }

    /**
     * One maintenance run: forgets {@code toForget} (points still locked or held stay, for a later run), re-extends
     * locks, prunes, checks structure, reads the day's sample of packs ({@code readDataCycleDays}: every pack once
     * per that many days) and measures.
     */
    Outcome run(Repository repository, Collection<String> toForget, int readDataCycleDays) {
        var options = MaintenanceOptions.defaults()
                .withForget(List.copyOf(toForget))
                .withReadDataCycleDays(readDataCycleDays);
        MaintenanceResult result;
        try {
            result = repository.maintain(options);
        } catch (LockedException e) {
            throw e;
        } catch (ScalezException e) {
            // The engine refuses to prune a repository it cannot read completely (a lost or damaged object):
            // nothing is deleted, and the check names what is wrong.
            CheckReport check = repository.check();
            if (check.damage().isEmpty()) {
                throw e;
            }
            var unpruned = new MaintenanceResult(0, 0, 0, 0, List.of(), 0, check.packs(), check.damage(), List.of());
            return outcome(unpruned, repository);
        }
        return outcome(result, repository);
    }

    private static Outcome outcome(MaintenanceResult result, Repository repository) {
        long stored = repository.stats().storedBytes();
        return new Outcome(
                result, result.damage().stream().map(Finding::toString).toList(), stored);
    }
}
