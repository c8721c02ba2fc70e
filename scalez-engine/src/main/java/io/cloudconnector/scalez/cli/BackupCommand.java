package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.Json;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.serve.ScalezServers;
import io.cloudconnector.scalez.source.ImageFileSource;
import java.io.IOException;
import java.net.URI;
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

/** {@code scalez backup}: backs up a block image or device, files and directories, or stdin. */
@Command(
        name = "backup",
        description = "Back up a block image or device (--block), files and directories, or stdin (-).")
final class BackupCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    RepositoryOptionsMixin repo;

    @Option(names = "--json", description = "Print one JSON object with the result.")
    boolean json;

    @Option(names = "--parent", description = "Parent recovery point of a block backup.")
    @Nullable
    String parent;

    @Option(
            names = "--changed-blocks",
            description = "File of changed 512 KiB block indexes (one per line) since --parent.")
    @Nullable
    Path changedBlocks;

    @Option(names = "--block", description = "Block image file or device to back up.")
    @Nullable
    Path block;

    @Option(names = "--label", description = "Label key=value stored with the recovery point.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or directories, or - for stdin.")
    List<String> paths = new ArrayList<>();

    @Option(
            names = "--server",
            description = "A ScaleZ server (scalez serve, https://host:port) to write through, token in"
                    + " SCALEZ_SERVER_TOKEN; when it does not answer or presents another certificate than"
                    + " --server-certificate, the backup writes by itself.")
    @Nullable
    URI server;

    @Option(
            names = "--server-certificate",
            description = "SHA-256 (hex) of the --server's certificate, as scalez serve prints it and writes into"
                    + " its ready file; default SCALEZ_SERVER_CERT_SHA256. The only certificate the backup trusts.")
    @Nullable
    String serverCertificate;

    @Override
    public Integer call() throws IOException {
        if ((block == null) == paths.isEmpty()) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "Give either --block IMAGE or PATH... or -");
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
            var pin = serverCertificate != null ? serverCertificate : System.getenv("SCALEZ_SERVER_CERT_SHA256");
            if (pin == null || pin.isBlank()) {
                throw new ScalezException("--server needs the SHA-256 of its certificate: --server-certificate or"
                        + " SCALEZ_SERVER_CERT_SHA256");
            }
            try {
                repositoryOptions =
                        repositoryOptions.withRemoteWriter(ScalezServers.at(server, token.strip(), pin.strip()));
            } catch (IllegalArgumentException e) {
                throw new ScalezException(e.getMessage());
            }
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
            System.out.printf(
                    Locale.ROOT,
                    "recovery point %s: %s processed, %s added, %.1f s%n",
                    rp.id(),
                    ProgressBar.size(rp.bytesProcessed()),
                    ProgressBar.size(rp.bytesAdded()),
                    rp.duration().toMillis() / 1000.0);
        }
        return 0;
    }
}
