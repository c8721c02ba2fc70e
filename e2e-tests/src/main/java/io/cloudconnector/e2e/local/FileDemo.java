package io.cloudconnector.e2e.local;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The file step of {@code ./connector demo}, after the backup demo: the full backup's recovery point is browsed as a
 * user would without restoring it ({@code GET /v1/recovery-points/{id}/volumes} and {@code /files}): a directory is
 * listed and compared by name with the source directory the demo's image was made from, and its largest file is
 * fetched ({@code /files/content}) and compared byte for byte with the source. The full point, not the incremental
 * one: the demo changes 1% of the blocks at random between the two, which may land in files.
 */
final class FileDemo {

    private final FilesClient client;
    private final PrintStream out;
    private final List<String> failures;
    private final Map<String, Object> report = new LinkedHashMap<>();

    FileDemo(URI backgroundJobs, String token, PrintStream out, List<String> failures) {
        this.client = new FilesClient(backgroundJobs, () -> "Bearer " + token);
        this.out = out;
        this.failures = failures;
    }

    /**
     * The step as the demo command calls it: browses the full backup's point of {@code backup} (the backup demo's
     * result), whose image holds files of this JDK ({@code java.home}), unless something failed before.
     */
    static Map<String, Object> afterBackup(
            @Nullable Object backup, String token, PrintStream out, List<String> failures) throws Exception {
        if (!failures.isEmpty()
                || !(backup instanceof Map<?, ?> report)
                || !(report.get("fullBackup") instanceof Map<?, ?> full)
                || !(full.get("recoveryPointId") instanceof String point)) {
            return Map.of("skipped", true);
        }
        return new FileDemo(URI.create("http://127.0.0.1:" + LocalService.BACKGROUND_JOBS.port()), token, out, failures)
                .run(point, Path.of(System.getProperty("java.home")));
    }

    /** Browses {@code point}, whose file system holds (some of) the files under {@code source}, at the same paths. */
    Map<String, Object> run(String point, Path source) throws Exception {
        out.printf("%nFiles of recovery point %s, read without restoring it:%n", point);
        report.put("recoveryPointId", point);
        String volume = client.onlyReadableVolume(point);
        report.put("volume", volume);
        var root = client.list(point, volume, "/");
        var directory = root.stream()
                .filter(e -> e.path("type").asString().equals("dir"))
                .filter(e -> !e.path("name").asString().equals("lost+found"))
                .findFirst()
                .orElse(null);
        if (directory == null) {
            failures.add("the root of " + volume + " in " + point + " holds no directory");
            return report;
        }
        String dirPath = directory.path("path").asString();
        var entries = client.list(point, volume, dirPath);
        out.printf("   ./connector files ls %s --volume %s %s%n", point, volume, dirPath);
        out.print(FilesCommand.table(entries).indent(3));
        Set<String> listed = new TreeSet<>();
        entries.forEach(e -> listed.add(e.path("name").asString()));
        Set<String> inSource = new TreeSet<>();
        try (var children = Files.list(source.resolve(dirPath.substring(1)))) {
            children.forEach(p -> inSource.add(p.getFileName().toString()));
        }
        report.put("directory", dirPath);
        report.put("entries", listed.size());
        if (listed.isEmpty() || !inSource.containsAll(listed)) {
            failures.add("the listing of " + dirPath + " " + listed + " is not part of the source's " + inSource);
        }
        var file = entries.stream()
                .filter(e -> e.path("type").asString().equals("file"))
                .max(Comparator.comparingLong((JsonNode e) -> e.path("size").asLong()))
                .orElse(null);
        if (file == null) {
            failures.add(dirPath + " of " + point + " holds no regular file to fetch");
            return report;
        }
        String filePath = file.path("path").asString();
        var bytes = new ByteArrayOutputStream();
        long started = System.nanoTime();
        client.download(point, volume, filePath, false, bytes, size -> {}, done -> {});
        long millis = (System.nanoTime() - started) / 1_000_000;
        String fetched = sha256(bytes.toByteArray());
        String expected = sha256(Files.readAllBytes(source.resolve(filePath.substring(1))));
        boolean match = fetched.equals(expected);
        out.printf(
                "   ./connector files get %s %s: %s in %d ms%n   SHA-256 fetched %s%n   SHA-256 source  %s   %s%n",
                point,
                filePath,
                JobsCommand.bytes(bytes.size()),
                millis,
                fetched,
                expected,
                match ? "MATCH" : "DIFFERENT");
        if (!match) {
            failures.add("the file " + filePath + " fetched from " + point + " differs from its source");
        }
        report.put("file", Map.of("path", filePath, "bytes", bytes.size(), "millis", millis, "match", match));
        return report;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
