package io.cloudconnector.backgroundjobs.maintenance;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.maintenance.CheckReport;
import io.cloudconnector.scalez.maintenance.PruneResult;
import io.cloudconnector.scalez.model.Finding;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.lock.LockedException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Every engine call a vault's maintenance makes, in one place: forget the given points ({@code Repository.forget(id)}),
 * prune ({@code prune()}; refused by the engine in a damaged repository, then {@code check()} names the damage), check
 * ({@code check()}, or {@code checkReadData()} when every pack is due to be read), measure ({@code stats()}). Each
 * call takes the vault's locks itself (forget and check shared, prune exclusive, all in the vault's DynamoDB table),
 * so a backup running at the same time only delays the prune. The engine's own combined maintenance operation (one
 * exclusive lease over the whole run, lock extension, sampled read-data) replaces the body of {@link #run}.
 */
@Component
class MaintenanceEngine {

    /**
     * What the engine did.
     *
     * @param storedBytes what the repository holds after the prune
     * @param readEveryPack whether the check read every pack
     */
    record Outcome(
            int recoveryPointsForgotten,
            PruneResult prune,
            int checkedPacks,
            List<String> damage,
            long storedBytes,
            boolean readEveryPack) {

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
     * Forgets {@code toForget}, prunes, checks (reading every pack when {@code readData}) and measures.
     *
     * @param checkpoint called between steps (a cancelled or lost job stops there)
     */
    Outcome run(Repository repository, Collection<String> toForget, boolean readData, Runnable checkpoint) {
        int forgotten = 0;
        for (String id : toForget) {
            checkpoint.run();
            repository.forget(id);
            forgotten++;
        }
        checkpoint.run();
        PruneResult prune;
        try {
            prune = repository.prune();
        } catch (LockedException e) {
            throw e;
        } catch (ScalezException e) {
            // The engine refuses to prune a repository it cannot read completely (a lost or damaged object):
            // nothing is deleted, and the check names what is wrong.
            CheckReport check = repository.check();
            if (check.damage().isEmpty()) {
                throw e;
            }
            return outcome(forgotten, new PruneResult(0, 0, 0, 0, 0), check, false, repository);
        }
        checkpoint.run();
        CheckReport check = readData ? repository.checkReadData() : repository.check();
        return outcome(forgotten, prune, check, readData, repository);
    }

    private static Outcome outcome(
            int forgotten, PruneResult prune, CheckReport check, boolean readEveryPack, Repository repository) {
        long stored = repository.stats().storedBytes();
        return new Outcome(
                forgotten,
                prune,
                check.packs(),
                check.damage().stream().map(Finding::toString).toList(),
                stored,
                readEveryPack);
    }
}
