package io.cloudconnector.scalez.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code scalez init}: creates a repository. */
@Command(name = "init", description = "Create a repository.")
final class InitCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    RepositoryOptionsMixin repo;

    @Override
    public Integer call() {
        try (var session = repo.init()) {
            var r = session.repository();
            System.out.println(
                    "created repository " + r.id() + " at " + r.store().location());
        }
        return 0;
    }
}
