package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.Json;
import io.cloudconnector.scalez.maintenance.MaintenanceOptions;
import io.cloudconnector.scalez.maintenance.MaintenanceResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scalez maintain}: one maintenance run under the exclusive lock: retention policy and forgets, lock
 * extension, prune, check with a rotating read-data sample. Exit 3 when check finds damage.
 */
@Command(
        name = "maintain",
        description = "One maintenance run (exclusive lock): apply --keep-* rules and --forget ids (points still"
                + " locked or held are kept), re-extend Object Lock retention, prune, check structure and read the"
                + " day's sample of packs (every pack once per --read-data-cycle-days). Exit 3 on damage.")
final class MaintainCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    RepositoryOptionsMixin repo;

    @Option(names = "--forget", paramLabel = "RP", description = "A recovery point to forget (repeatable).")
    List<String> forget = new ArrayList<>();

    @Mixin
    RetentionOptionsMixin keep;

    @Option(
            names = "--read-data-cycle-days",
            defaultValue = "30",
            description = "Read every pack once per this many days (0: read none). Default ${DEFAULT-VALUE}.")
    int cycleDays;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        var policy = keep.policy();
        var options = new MaintenanceOptions(policy.isEmpty() ? null : policy, forget, cycleDays);
        MaintenanceResult result;
        try (var session = repo.open()) {
            result = session.repository().maintain(options);
        }
        if (json) {
            var fields = new LinkedHashMap<String, Object>();
            fields.put("bytesFreed", result.bytesFreed());
            fields.put("packsDeleted", result.packsDeleted());
            fields.put("packsRepacked", result.packsRepacked());
            fields.put("recoveryPointsForgotten", result.recoveryPointsForgotten());
            fields.put("recoveryPointsKeptLocked", result.recoveryPointsKeptLocked());
            fields.put("locksExtended", result.locksExtended());
            fields.put("checkedPacks", result.checkedPacks());
            fields.put(
                    "damage",
                    result.damage().stream()
                            .map(f -> java.util.Map.of("object", f.object(), "problem", f.message()))
                            .toList());
            fields.put("unverified", result.unverified().size());
            System.out.println(Json.object(fields));
        } else {
            result.recoveryPointsKeptLocked().forEach(id -> System.out.println("kept (locked or held) " + id));
            result.damage().forEach(f -> System.out.println("damaged " + f));
            result.unverified().forEach(f -> System.out.println("unverified " + f));
            System.out.printf(
                    Locale.ROOT,
                    "forgot %d recovery points, extended %d locks, deleted %d packs, repacked %d, freed %s,"
                            + " read %d packs%n",
                    result.recoveryPointsForgotten(),
                    result.locksExtended(),
                    result.packsDeleted(),
                    result.packsRepacked(),
                    ProgressBar.size(Math.max(0, result.bytesFreed())),
                    result.checkedPacks());
        }
        if (!result.damage().isEmpty()) {
            System.err.println(
                    "scalez: maintenance found damage in " + result.damage().size() + " objects, first "
                            + result.damage().getFirst());
            return ScalezCli.DAMAGE;
        }
        return result.unverified().isEmpty() ? 0 : 1;
    }
}
