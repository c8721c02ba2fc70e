package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.Json;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.maintenance.CheckReport;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.model.Finding;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.maintenance.RetentionPolicy;
import io.cloudconnector.scalez.serve.ScalezServers;
import io.cloudconnector.scalez.source.ImageFileSource;
import java.io.BufferedOutputStream;
import java.net.URI;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code scalez} command: exit 0 on success, 1 on failure, 2 on bad usage, 3 when check finds damage. */
@Command(name = "scalez", mixinStandardHelpOptions = true, version = "scalez 0.1.0",
        description = "Deduplicated, compressed, encrypted backups of block devices, files, streams and trees.",
        subcommands = {ScalezCli.Init.class, ScalezCli.Backup.class, ScalezCli.Restore.class, ScalezCli.ListCommand.class,
                ScalezCli.Forget.class, ScalezCli.Prune.class, ScalezCli.Check.class, ScalezCli.Stats.class,
                ScalezCli.Cat.class, ServeCommand.class})
public final class ScalezCli {

    static final int DAMAGE = 3;

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code. */
    public static int run(String... args) {
        var cli = new CommandLine(new ScalezCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            var message = e instanceof ScalezException || e instanceof IllegalArgumentException
                    ? e.getMessage() : e.toString();
            System.err.println("scalez: " + String.valueOf(message).replace('\n', ' '));
            if (System.getenv("SCALEZ_DEBUG") != null) {
                e.printStackTrace();
            }
            return 1;
        });
        return cli.execute(args);
    }

    @Command(name = "init", description = "Create a repository.")
    static final class Init implements Callable<Integer> {
        @Mixin
        RepositoryOptionsMixin repo;

        @Override
        public Integer call() {
            try (var session = repo.init()) {
                var r = session.repository();
                System.out.println("created repository " + r.id() + " at " + r.store().location());
            }
            return 0;
        }
    }

    @Command(name = "backup", description = "Back up a block image or device (--block), files and directories, or stdin (-).")
    static final class Backup implements Callable<Integer> {
        @Mixin
        RepositoryOptionsMixin repo;

        @Option(names = "--json", description = "Print one JSON object with the result.")
        boolean json;

        @Option(names = "--parent", description = "Parent recovery point of a block backup.")
        @Nullable String parent;

        @Option(names = "--changed-blocks", description = "File of changed 512 KiB block indexes (one per line) since --parent.")
        @Nullable Path changedBlocks;

        @Option(names = "--block", description = "Block image file or device to back up.")
        @Nullable Path block;

        @Option(names = "--label", description = "Label key=value stored with the recovery point.")
        Map<String, String> labels = new LinkedHashMap<>();

        @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or directories, or - for stdin.")
        List<String> paths = new ArrayList<>();

        @Option(names = "--server", description = "A ScaleZ server (scalez serve) to write through, token in"
                + " SCALEZ_SERVER_TOKEN; when it does not answer, the backup writes by itself.")
        @Nullable URI server;

        @Override
        public Integer call() throws IOException {
            if ((block == null) == paths.isEmpty()) {
                throw new CommandLine.ParameterException(new CommandLine(this), "Give either --block IMAGE or PATH... or -");
            }
            var bar = ProgressBar.forTerminal();
            var options = BackupOptions.defaults().withLabels(labels).withProgress(json ? ProgressListener.NONE : bar);
            if (parent != null) {
                options = options.withParent(parent);
            }
            if (changedBlocks != null) {
                var set = new BitSet();
                for (var line : Files.readAllLines(changedBlocks)) {
                    if (!line.isBlank()) {
                        set.set(Integer.parseInt(line.strip()));
                    }
                }
                options = options.withChangedBlocks(set);
            }
            RecoveryPoint rp;
            var repositoryOptions = repo.options();
            if (server != null) {
                var token = System.getenv("SCALEZ_SERVER_TOKEN");
                if (token == null || token.isBlank()) {
                    throw new ScalezException("--server needs the server's token in SCALEZ_SERVER_TOKEN");
                }
                repositoryOptions = repositoryOptions.withRemoteWriter(ScalezServers.at(server, token.strip()));
            }
            try (var session = repo.open(repositoryOptions)) {
                var r = session.repository();
                if (block != null) {
                    try (var source = ImageFileSource.open(block)) {
                        rp = r.backupBlocks(source, options);
                    }
                } else if (paths.equals(List.of("-"))) {
                    rp = r.backupStream(System.in, options);
                } else if (paths.size() == 1 && Files.isRegularFile(Path.of(paths.getFirst()))) {
                    rp = r.backupFile(Path.of(paths.getFirst()), options);
                } else {
                    rp = r.backupTree(paths.stream().map(Path::of).toList(), options);
                }
            } finally {
                if (bar instanceof ProgressBar b) {
                    b.finish();
                }
            }
            if (json) {
                var out = new LinkedHashMap<String, Object>();
                out.put("recoveryPointId", rp.id());
                out.put("bytesProcessed", rp.bytesProcessed());
                out.put("bytesAdded", rp.bytesAdded());
                out.put("durationSeconds", rp.duration().toMillis() / 1000.0);
                System.out.println(Json.object(out));
            } else {
                System.out.printf(Locale.ROOT, "recovery point %s: %s processed, %s added, %.1f s%n", rp.id(),
                        ProgressBar.size(rp.bytesProcessed()), ProgressBar.size(rp.bytesAdded()),
                        rp.duration().toMillis() / 1000.0);
            }
            return 0;
        }
    }

    @Command(name = "restore", description = "Restore a recovery point: block into an image or device, file into a file, tree into a directory, - for stdout.")
    static final class Restore implements Callable<Integer> {
        @Mixin
        RepositoryOptionsMixin repo;

        @Parameters(index = "0", paramLabel = "RP")
        String id;

        @Option(names = "--target", required = true, description = "Where to restore to.")
        String target;

        @Override
        public Integer call() throws IOException {
            try (var session = repo.open()) {
                var r = session.repository();
                if (target.equals("-")) {
                    var out = new BufferedOutputStream(System.out, 1 << 20);
                    r.restoreStream(id, out, ProgressListener.NONE);
                    out.flush();
                    return 0;
                }
                var bar = ProgressBar.forTerminal();
                try {
                    r.restore(id, Path.of(target), bar);
                } finally {
                    if (bar instanceof ProgressBar b) {
                        b.finish();
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List recovery points, oldest first.")
    static final class ListCommand implements Callable<Integer> {
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
                    var items = points.stream().map(ScalezCli::toJson).toList();
                    System.out.println(Json.object(Map.of("items", items)));
                } else {
                    for (var p : points) {
                        System.out.printf(Locale.ROOT, "%s  %s  %-6s %10s  %s%s%n", p.id(), p.time(), p.kind().label(),
                                ProgressBar.size(p.logicalSize()), p.source(), p.parent() == null ? "" : "  parent " + p.parent());
                    }
                }
            }
            return 0;
        }
    }

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

    @Command(name = "forget", description = "Remove recovery points by id or by retention policy (data goes at the next prune).")
    static final class Forget implements Callable<Integer> {
        @Mixin
        RepositoryOptionsMixin repo;

        @Parameters(arity = "0..*", paramLabel = "RP")
        List<String> ids = new ArrayList<>();

        @Option(names = "--keep-last", defaultValue = "0")
        int last;
        @Option(names = "--keep-hourly", defaultValue = "0")
        int hourly;
        @Option(names = "--keep-daily", defaultValue = "0")
        int daily;
        @Option(names = "--keep-weekly", defaultValue = "0")
        int weekly;
        @Option(names = "--keep-monthly", defaultValue = "0")
        int monthly;
        @Option(names = "--keep-yearly", defaultValue = "0")
        int yearly;

        @Option(names = "--prune", description = "Prune afterwards.")
        boolean prune;

        @Override
        public Integer call() {
            var policy = new RetentionPolicy(last, hourly, daily, weekly, monthly, yearly);
            if (ids.isEmpty() == policy.isEmpty()) {
                throw new CommandLine.ParameterException(new CommandLine(this), "Give either RP ids or --keep-* rules");
            }
            try (var session = repo.open()) {
                var r = session.repository();
                if (ids.isEmpty()) {
                    var result = r.forget(policy);
                    result.removed().forEach(p -> System.out.println("removed " + p.id()));
                    System.out.println("kept " + result.kept().size() + ", removed " + result.removed().size());
                } else {
                    for (var id : ids) {
                        r.forget(id);
                        System.out.println("removed " + id);
                    }
                }
                if (prune) {
                    printPrune(r.prune());
                }
            }
            return 0;
        }
    }

    static void printPrune(io.cloudconnector.scalez.maintenance.PruneResult result) {
        System.out.printf(Locale.ROOT, "deleted %d packs, repacked %d into %d, replaced %d index files, freed %s%n",
                result.packsDeleted(), result.packsRepacked(), result.packsWritten(), result.indexFilesReplaced(),
                ProgressBar.size(Math.max(0, result.bytesFreed())));
    }

    @Command(name = "prune", description = "Delete unreferenced data and repack mostly-garbage packs.")
    static final class Prune implements Callable<Integer> {
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
    }

    @Command(name = "check", description = "Check the repository; --read-data also reads and verifies every blob. Exit 3 on damage.")
    static final class Check implements Callable<Integer> {
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
                return DAMAGE;
            }
            report.warnings().forEach(f -> System.out.println("warning " + f));
            report.unverified().forEach(f -> System.out.println("unverified " + f));
            report.damage().forEach(f -> System.out.println("damaged " + f));
            System.out.printf(Locale.ROOT, "%d recovery points, %d packs, %d blobs read%n", report.recoveryPoints(),
                    report.packs(), report.blobsRead());
            if (!report.damage().isEmpty()) {
                Finding first = report.damage().getFirst();
                System.err.println("scalez: check found damage in " + report.damage().size() + " objects, first " + first);
                return DAMAGE;
            }
            if (!report.unverified().isEmpty()) {
                System.err.println("scalez: check could not read " + report.unverified().size() + " objects, first "
                        + report.unverified().getFirst() + " (not damage; try again)");
                return 1;
            }
            System.out.println("no damage found");
            return 0;
        }
    }

    @Command(name = "stats", description = "Logical and stored sizes, dedup and compression ratios.")
    static final class Stats implements Callable<Integer> {
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
                    out.printf(Locale.ROOT, "unique data        %s in %d chunks%n", ProgressBar.size(s.uniqueBytes()), s.chunks());
                    out.printf(Locale.ROOT, "stored blobs       %s in %d packs%n", ProgressBar.size(s.blobBytes()), s.packs());
                    out.printf(Locale.ROOT, "repository size    %s%n", ProgressBar.size(s.storedBytes()));
                    out.printf(Locale.ROOT, "dedup ratio        %.2f%n", s.dedupRatio());
                    out.printf(Locale.ROOT, "compression ratio  %.2f%n", s.compressionRatio());
                }
            }
            return 0;
        }
    }

    @Command(name = "cat", description = "Print a decoded object: config, keys/ID, index/ID, snapshots/RP, packs/XX/ID or chunk/ID.")
    static final class Cat implements Callable<Integer> {
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
}
