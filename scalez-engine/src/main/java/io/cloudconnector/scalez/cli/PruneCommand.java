package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.maintenance.PruneResult;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code scalez prune}: deletes unreferenced data and repacks mostly-garbage packs. */
@Command(name = "prune", description = "Delete unreferenced data and repack mostly-garbage packs.")
final class PruneCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    RepositoryOptionsMixin repo;

    @Override
    public Integer call() {
        try (var session = repo.open()) {
            var r = session.repository();
            printPrune(r.prune());
        }
        return 0;
    }

    /** Prints what a prune did (also after {@code forget --prune}). */
    static void printPrune(PruneResult result) {
        System.out.printf(
                Locale.ROOT,
                "deleted %d packs, repacked %d into %d, replaced %d index files, freed %s%n",
                result.packsDeleted(),
                result.packsRepacked(),
                result.packsWritten(),
                result.indexFilesReplaced(),
                ProgressBar.size(Math.max(0, result.bytesFreed())));
    }
}
