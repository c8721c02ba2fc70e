package io.cloudconnector.scalez.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code scalez legal-hold RP on|off}: puts or removes an S3 legal hold on every object a recovery point needs. */
@Command(
        name = "legal-hold",
        description = "Put (on) or remove (off) an S3 legal hold on every object version a recovery point needs;"
                + " a held point is never forgotten or pruned.")
final class LegalHoldCommand implements Callable<Integer> {

    enum State {
        on,
        off
    }

    @Mixin
    HelpOption help;

    @Mixin
    RepositoryOptionsMixin repo;

    @Parameters(index = "0", paramLabel = "RP")
    String id;

    @Parameters(index = "1", paramLabel = "on|off")
    State state;

    @Override
    public Integer call() {
        try (var session = repo.open()) {
            var r = session.repository();
            int changed = r.legalHold(id, state == State.on);
            System.out.println("legal hold " + state + " on " + changed + " object versions of " + id);
            LockCommand.print(r.lockState(id));
        }
        return 0;
    }
}
