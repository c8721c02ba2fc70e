package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.repo.RecoveryPointLock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scalez lock RP}: shows a recovery point's Object Lock; with {@code --until} moves its end (shortening or
 * lifting needs {@code --bypass-governance} in governance mode and is refused in compliance mode);
 * {@code --extend-all} re-extends what every locked point needs.
 */
@Command(
        name = "lock",
        description = "Show a recovery point's Object Lock (lockedUntil, mode, legal hold); --until moves its end"
                + " (shortening needs --bypass-governance, refused in compliance mode); --extend-all re-extends the"
                + " retention of everything locked points need.")
final class LockCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    RepositoryOptionsMixin repo;

    @Parameters(arity = "0..1", paramLabel = "RP")
    String id;

    @Option(
            names = "--until",
            paramLabel = "INSTANT",
            description = "New lock end, ISO-8601 (e.g. 2027-01-31T00:00:00Z).")
    Instant until;

    @Option(
            names = "--bypass-governance",
            description = "Allow shortening a governance lock (BypassGovernanceRetention).")
    boolean bypass;

    @Option(names = "--extend-all", description = "Re-extend every object version a locked point needs.")
    boolean extendAll;

    @Override
    public Integer call() {
        if ((id == null) == !extendAll) {
            throw new CommandLine.ParameterException(new CommandLine(this), "Give either RP or --extend-all");
        }
        try (var session = repo.open()) {
            var r = session.repository();
            if (extendAll) {
                System.out.println("extended " + r.extendLocks() + " object versions");
                return 0;
            }
            var state = until == null ? r.lockState(id) : r.changeLock(id, until, bypass);
            print(state);
        }
        return 0;
    }

    static void print(RecoveryPointLock state) {
        System.out.println(state.recoveryPointId() + " lockedUntil="
                + (state.lockedUntil() == null ? "none" : state.lockedUntil()) + " mode="
                + (state.mode() == null ? "none" : state.mode().name().toLowerCase(java.util.Locale.ROOT))
                + " legalHold=" + (state.legalHold() ? "on" : "off") + " objects=" + state.recordedObjects());
    }
}
