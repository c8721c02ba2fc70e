package io.cloudconnector.e2e.local;

import io.cloudconnector.common.security.Scopes;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./connector files ls|get}: browse a recovery point's files and download one (or a directory as tar) through
 * background-jobs' file API, with a token minted from the local development key.
 */
@Command(
        name = "files",
        description = "List a directory of a recovery point, or download a file from it.",
        subcommands = {FilesCommand.Ls.class, FilesCommand.Get.class})
final class FilesCommand {

    /** Files at least this large get a progress bar on a terminal. */
    static final long BAR_FROM = 8L << 20;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Option(names = "--key", required = true, description = "The development private key (PEM).")
    Path key;

    @Option(names = "--audience", required = true, description = "The connector id.")
    String audience;

    @Option(names = "--port", description = "background-jobs' port (default: CONNECTOR_PORT_BACKGROUND_JOBS or 8084).")
    @Nullable
    Integer port;

    FilesClient client() {
        int p = port != null ? port : LocalService.BACKGROUND_JOBS.port();
        return new FilesClient(URI.create("http://127.0.0.1:" + p), () -> {
            try {
                return "Bearer "
                        + TokenCommand.minter(key)
                                .mint(
                                        "connector-cli",
                                        audience,
                                        List.of(Scopes.FILES_READ),
                                        Instant.now(),
                                        Duration.ofMinutes(15));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static String volume(FilesClient client, String point, @Nullable String volume) throws Exception {
        return volume != null ? volume : client.onlyReadableVolume(point);
    }

    @Command(name = "ls", description = "List a directory (default /) of a recovery point's volume.")
    static final class Ls implements Callable<Integer> {

        @ParentCommand
        FilesCommand files;

        @Parameters(index = "0", paramLabel = "RP", description = "The recovery point, rp-<ulid>.")
        String point;

        @Parameters(index = "1", paramLabel = "PATH", defaultValue = "/", description = "The directory (default /).")
        String path;

        @Option(
                names = "--volume",
                description = "The volume (disk0, disk0p1, vol-…/p1); default: the point's only readable one.")
        @Nullable
        String volume;

        @Option(names = "--json", description = "One JSON entry per line, as the API gives them.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            var client = files.client();
            String name = volume(client, point, volume);
            var entries = client.list(point, name, path);
            PrintStream out = System.out;
            if (json) {
                entries.forEach(out::println);
                return 0;
            }
            out.print(table(entries));
            return 0;
        }
    }

    /** An {@code ls -l}-like table: type and mode, owner, size, modification time (UTC), name (and link target). */
    static String table(List<JsonNode> entries) {
        var text = new StringBuilder();
        for (var e : entries) {
            String type = e.path("type").asString();
            char letter = switch (type) {
                case "dir" -> 'd';
                case "symlink" -> 'l';
                case "file" -> '-';
                default -> '?';
            };
            text.append(String.format(
                    Locale.ROOT,
                    "%c%s %6d:%-6d %12d  %s  %s%s%n",
                    letter,
                    e.path("mode").asString(),
                    e.path("uid").asLong(),
                    e.path("gid").asLong(),
                    e.path("size").asLong(),
                    TIME.format(Instant.parse(e.path("modifiedAt").asString())),
                    e.path("name").asString(),
                    e.has("target") ? " -> " + e.path("target").asString() : ""));
        }
        return text.toString();
    }

    @Command(name = "get", description = "Download a file (with --tar, a directory's subtree as tar).")
    static final class Get implements Callable<Integer> {

        private static final int BAR_WIDTH = 30;

        @ParentCommand
        FilesCommand files;

        @Parameters(index = "0", paramLabel = "RP", description = "The recovery point, rp-<ulid>.")
        String point;

        @Parameters(index = "1", paramLabel = "PATH", description = "The file (or, with --tar, the directory).")
        String path;

        @Option(
                names = {"-o", "--output"},
                description = "Where to write it ('-': standard output); default: its name (.tar) here.")
        @Nullable
        String output;

        @Option(names = "--volume", description = "The volume; default: the point's only readable one.")
        @Nullable
        String volume;

        @Option(names = "--tar", description = "Download a directory's subtree as a tar archive.")
        boolean tar;

        @Override
        public Integer call() throws Exception {
            var client = files.client();
            String name = volume(client, point, volume);
            boolean terminal = System.console() != null && System.console().isTerminal();
            if ("-".equals(output)) {
                client.download(point, name, path, tar, System.out, size -> {}, done -> {});
                System.out.flush();
                return 0;
            }
            String base =
                    Path.of(path.equals("/") ? "root" : path).getFileName().toString();
            var target = Path.of(output != null ? output : base + (tar ? ".tar" : ""));
            var partial = target.resolveSibling(target.getFileName() + ".part");
            var bar = new Bar(System.err, terminal);
            long bytes;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20)) {
                bytes = client.download(point, name, path, tar, out, bar::start, bar::progress);
            } catch (Exception e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            bar.end();
            System.err.printf("%s: %s%n", target, JobsCommand.bytes(bytes));
            return 0;
        }
    }

    /** A progress bar on standard error for large files on a terminal; nothing otherwise. */
    static final class Bar {
        private final PrintStream err;
        private final boolean terminal;
        private long total = -1;
        private long shownAt = -1;
        private final long startedNanos = System.nanoTime();

        Bar(PrintStream err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        void start(OptionalLong size) {
            total = size.orElse(-1);
        }

        void progress(long done) {
            if (!terminal || total < BAR_FROM) {
                return;
            }
            int percent = (int) (100 * done / Math.max(1, total));
            if (percent == shownAt) {
                return;
            }
            shownAt = percent;
            err.print("\r" + line(done, total, System.nanoTime() - startedNanos));
            err.flush();
        }

        void end() {
            if (shownAt >= 0) {
                err.println();
            }
        }

        /** {@code [#####-----]  42%  430 MiB of 1.0 GiB  180 MiB/s}. */
        static String line(long done, long total, long elapsedNanos) {
            int filled = (int) (Get.BAR_WIDTH * done / Math.max(1, total));
            double seconds = Math.max(1e-3, elapsedNanos / 1e9);
            return "[" + "#".repeat(filled) + "-".repeat(Get.BAR_WIDTH - filled) + "] "
                    + String.format(Locale.ROOT, "%3d%%", (int) (100 * done / Math.max(1, total))) + "  "
                    + JobsCommand.bytes(done) + " of " + JobsCommand.bytes(total) + "  "
                    + JobsCommand.bytes((long) (done / seconds)) + "/s";
        }
    }
}
