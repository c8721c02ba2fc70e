package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.maintenance.CheckReport;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.model.Finding;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scalez check}: checks the repository; exit 3 on damage, 1 when objects could not be read. */
@Command(
        name = "check",
        description = "Check the repository; --read-data also reads and verifies every blob. Exit 3 on damage.")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    RepositoryOptionsMixin repo;

    @Option(names = "--read-data", description = "Read every pack and verify every blob.")
    boolean readData;

    @Override
    public Integer call() {
        CheckReport report;
        try (var session = repo.open()) {
            var r = session.repository();
            report = readData ? r.checkReadData() : r.check();
        } catch (CorruptObjectException e) {
            System.out.println("damaged " + e.getMessage());
            System.err.println("scalez: check found damage: " + e.getMessage());
            return ScalezCli.DAMAGE;
        }
        report.warnings().forEach(f -> System.out.println("warning " + f));
        report.unverified().forEach(f -> System.out.println("unverified " + f));
        report.damage().forEach(f -> System.out.println("damaged " + f));
        System.out.printf(
                Locale.ROOT,
                "%d recovery points, %d packs, %d blobs read%n",
                report.recoveryPoints(),
                report.packs(),
                report.blobsRead());
        if (!report.damage().isEmpty()) {
            Finding first = report.damage().getFirst();
            System.err.println(
                    "scalez: check found damage in " + report.damage().size() + " objects, first " + first);
            return ScalezCli.DAMAGE;
        }
        if (!report.unverified().isEmpty()) {
            System.err.println(
                    "scalez: check could not read " + report.unverified().size() + " objects, first "
                            + report.unverified().getFirst() + " (not damage; try again)");
            return 1;
        }
        System.out.println("no damage found");
        return 0;
    }
}
