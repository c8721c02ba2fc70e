package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scalez stats}: logical and stored sizes, dedup and compression ratios. */
@Command(name = "stats", description = "Logical and stored sizes, dedup and compression ratios.")
final class StatsCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    RepositoryOptionsMixin repo;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        try (var session = repo.open()) {
            var r = session.repository();
            var s = r.stats();
            if (json) {
                var m = new LinkedHashMap<String, Object>();
                m.put("recoveryPoints", s.recoveryPoints());
                m.put("logicalBytes", s.logicalBytes());
                m.put("uniqueBytes", s.uniqueBytes());
                m.put("blobBytes", s.blobBytes());
                m.put("storedBytes", s.storedBytes());
                m.put("packs", s.packs());
                m.put("chunks", s.chunks());
                m.put("dedupRatio", s.dedupRatio());
                m.put("compressionRatio", s.compressionRatio());
                System.out.println(Json.object(m));
            } else {
                var out = new PrintWriter(System.out, true);
                out.printf(Locale.ROOT, "recovery points    %d%n", s.recoveryPoints());
                out.printf(Locale.ROOT, "logical size       %s%n", ProgressBar.size(s.logicalBytes()));
                out.printf(
                        Locale.ROOT,
                        "unique data        %s in %d chunks%n",
                        ProgressBar.size(s.uniqueBytes()),
                        s.chunks());
                out.printf(
                        Locale.ROOT, "stored blobs       %s in %d packs%n", ProgressBar.size(s.blobBytes()), s.packs());
                out.printf(Locale.ROOT, "repository size    %s%n", ProgressBar.size(s.storedBytes()));
                out.printf(Locale.ROOT, "dedup ratio        %.2f%n", s.dedupRatio());
                out.printf(Locale.ROOT, "compression ratio  %.2f%n", s.compressionRatio());
            }
        }
        return 0;
    }
}
