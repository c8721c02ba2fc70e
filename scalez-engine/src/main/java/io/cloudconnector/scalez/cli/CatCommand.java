package io.cloudconnector.scalez.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code scalez cat}: prints a decoded object, for debugging. */
@Command(
        name = "cat",
        description = "Print a decoded object: config, keys/ID, index/ID, snapshots/RP, packs/XX/ID or chunk/ID.")
final class CatCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    RepositoryOptionsMixin repo;

    @Parameters(index = "0", paramLabel = "OBJECT")
    String key;

    @Override
    public Integer call() {
        try (var session = repo.open()) {
            var r = session.repository();
            System.out.print(r.describe(key));
        }
        return 0;
    }
}
