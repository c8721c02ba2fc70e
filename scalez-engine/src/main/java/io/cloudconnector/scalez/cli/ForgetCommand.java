package io.cloudconnector.scalez.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code scalez forget}: removes recovery points by id or retention policy, optionally pruning after. */
@Command(
        name = "forget",
        description = "Remove recovery points by id or by retention policy (data goes at the next prune).")
final class ForgetCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    RepositoryOptionsMixin repo;

    @Parameters(arity = "0..*", paramLabel = "RP")
    List<String> ids = new ArrayList<>();

    @Mixin
    RetentionOptionsMixin keep;

    @Option(names = "--prune", description = "Prune afterwards.")
    boolean prune;

    @Override
    public Integer call() {
        var policy = keep.policy();
        if (ids.isEmpty() == policy.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "Give either RP ids or --keep-* rules");
        }
        try (var session = repo.open()) {
            var r = session.repository();
            if (ids.isEmpty()) {
                var result = r.forget(policy);
                result.removed().forEach(p -> System.out.println("removed " + p.id()));
                System.out.println("kept " + result.kept().size() + ", removed "
                        + result.removed().size());
            } else {
                for (var id : ids) {
                    r.forget(id);
                    System.out.println("removed " + id);
                }
            }
            if (prune) {
                PruneCommand.printPrune(r.prune());
            }
        }
        return 0;
    }
}
