package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.Json;
import io.cloudconnector.scalez.model.RecoveryPoint;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scalez list}: the recovery points, oldest first, as text or JSON. */
@Command(name = "list", description = "List recovery points, oldest first.")
final class ListCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    RepositoryOptionsMixin repo;

    @Option(names = "--json", description = "Print a JSON object {\"items\": [...]}.")
    boolean json;

    @Override
    public Integer call() {
        try (var session = repo.open()) {
            var r = session.repository();
            var points = r.list();
            if (json) {
                var items = points.stream().map(ListCommand::toJson).toList();
                System.out.println(Json.object(Map.of("items", items)));
            } else {
                for (var p : points) {
                    System.out.printf(
                            Locale.ROOT,
                            "%s  %s  %-6s %10s  %s%s%n",
                            p.id(),
                            p.time(),
                            p.kind().label(),
                            ProgressBar.size(p.logicalSize()),
                            p.source(),
                            p.parent() == null ? "" : "  parent " + p.parent());
                }
            }
        }
        return 0;
    }

    /** A recovery point as the JSON object of {@code list --json}. */
    static Map<String, Object> toJson(RecoveryPoint p) {
        var m = new LinkedHashMap<String, Object>();
        m.put("id", p.id());
        m.put("kind", p.kind().label());
        m.put("time", p.time().toString());
        m.put("parent", p.parent());
        m.put("source", p.source());
        m.put("labels", p.labels());
        m.put("logicalSize", p.logicalSize());
        m.put("bytesProcessed", p.bytesProcessed());
        m.put("bytesAdded", p.bytesAdded());
        m.put("durationSeconds", p.duration().toMillis() / 1000.0);
        return m;
    }
}
