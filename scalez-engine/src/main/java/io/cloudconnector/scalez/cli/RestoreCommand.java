package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.model.ProgressListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code scalez restore}: restores a recovery point to an image, device, file, directory or stdout. */
@Command(
        name = "restore",
        description =
                "Restore a recovery point: block into an image or device, file into a file, tree into a directory, - for stdout.")
final class RestoreCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

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
