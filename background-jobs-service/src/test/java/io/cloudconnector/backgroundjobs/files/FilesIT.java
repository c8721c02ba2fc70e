package io.cloudconnector.backgroundjobs.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.backgroundjobs.TestVaults;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStatus;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.filesystems.DiskImages;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.source.ImageFileSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The file API against ext4 images built here by {@code mke2fs -d} from real directories, backed up into a vault's
 * repository in the emulator: every directory listed through the API (paged) and every file fetched, compared with
 * the source tree entry by entry; ranges, ETags, a directory as tar, a partitioned disk's volumes, and bad input.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"connector.jobs.mode=local", "connector.jobs.reconcile-interval=1h"})
@DirtiesContext
class FilesIT extends ServiceIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ASSET = "aws:ebs:" + AwsEmulator.ACCOUNT_ID + ":us-east-1:vol-0files";

    @TempDir
    static Path dir;

    static @Nullable VaultCreated vault;
    static Path tree;
    static String point;
    static String partitioned;

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    RecoveryPointStore points;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected String listPath() {
        return "/v1/restores";
    }

    @Override
    protected String listScope() {
        return Scopes.JOBS_READ;
    }

    @BeforeEach
    void backedUpImages() throws Exception {
        if (vault != null) {
            return;
        }
        vault = TestVaults.create(AwsEmulator.shared(), inbox, "files");
        tree = Files.createDirectories(dir.resolve("tree"));
        var random = new Random(19);
        var big = new byte[6 * 1024 * 1024 + 321];
        random.nextBytes(big);
        DiskImages.write(tree, "var/lib/big.bin", big);
        DiskImages.write(tree, "etc/hostname", "web-1\n".getBytes(StandardCharsets.UTF_8));
        DiskImages.write(
                tree, "home/anna/notes.txt", "meeting at ten\n".repeat(500).getBytes(StandardCharsets.UTF_8));
        DiskImages.write(tree, "home/anna/Grüße.txt", "hallo".getBytes(StandardCharsets.UTF_8));
        DiskImages.write(tree, "home/anna/empty", new byte[0]);
        for (int i = 0; i < 260; i++) {
            DiskImages.write(tree, "srv/many/f-" + i, ("n" + i).getBytes(StandardCharsets.UTF_8));
        }
        Files.createDirectories(tree.resolve("home/bob/empty-dir"));
        Files.createSymbolicLink(tree.resolve("home/anna/short"), Path.of("notes.txt"));
        Files.createSymbolicLink(tree.resolve("home/anna/long"), Path.of("../../" + "x".repeat(90) + "/target"));
        Files.setAttribute(tree.resolve("home/anna/Grüße.txt"), "unix:uid", 70001);
        Files.setAttribute(tree.resolve("home/anna/Grüße.txt"), "unix:gid", 1234);
        Files.setAttribute(tree.resolve("etc/hostname"), "unix:mode", 0640);
        Files.setLastModifiedTime(tree.resolve("etc/hostname"), FileTime.fromMillis(1_500_000_000_000L));
        point = backup(DiskImages.ext4(tree, dir.resolve("fs.img"), "64M"));

        long mib = 1 << 20;
        var disk = dir.resolve("disk.img");
        DiskImages.sparse(disk, 112 * mib);
        DiskImages.partition(disk, """
                label: gpt
                start=1MiB, size=32MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4
                start=34MiB, size=32MiB, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
                start=67MiB, size=32MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4
                start=100MiB, size=8MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4
                """);
        var small = Files.createDirectories(dir.resolve("small"));
        DiskImages.write(small, "readme.txt", "partition one\n".getBytes(StandardCharsets.UTF_8));
        DiskImages.place(DiskImages.ext4(small, dir.resolve("p1.img"), "32M"), disk, mib);
        var windows = DiskImages.write(
                dir.resolve("windows"), "hello.txt", "partition two\r\n".getBytes(StandardCharsets.UTF_8));
        DiskImages.place(
                DiskImages.ntfs(dir.resolve("p2.img"), 32 * mib, Map.of("hello.txt", windows)), disk, 34 * mib);
        var linux = Files.createDirectories(dir.resolve("xfs"));
        DiskImages.write(linux, "etc/motd", "partition three\n".getBytes(StandardCharsets.UTF_8));
        DiskImages.place(DiskImages.xfs(linux, dir.resolve("p3.img"), "32M"), disk, 67 * mib);
        // The fourth partition stays zeros: listed, not readable.
        partitioned = backup(disk);
    }

    private String backup(Path image) {
        var current = java.util.Objects.requireNonNull(vault);
        String id = TestVaults.read(AwsEmulator.shared(), current, repository -> {
            try (var source = ImageFileSource.open(image)) {
                return repository.backupBlocks(source, BackupOptions.defaults()).id();
            }
        });
        points.record(known(id, RecoveryPointStatus.AVAILABLE));
        return id;
    }

    private static KnownRecoveryPoint known(String id, RecoveryPointStatus status) {
        return new KnownRecoveryPoint(
                id,
                java.util.Objects.requireNonNull(vault).vaultId(),
                ASSET,
                RecoveryPointKind.EBS,
                Instant.now(),
                null,
                Ids.job(),
                64L << 20,
                List.of(),
                null,
                status);
    }

    @AfterAll
    static void forget() {
        vault = null;
    }

    @Test
    void theVolumesOfAWholeDiskAndOfAPartitionedOne() throws Exception {
        var whole = json(get("/v1/recovery-points/" + point + "/volumes", read()));
        assertThat(whole.get("items")).hasSize(1);
        assertThat(whole.get("items").get(0).get("name").asString()).isEqualTo("disk0");
        assertThat(whole.get("items").get(0).get("filesystem").asString()).isEqualTo("ext4");
        assertThat(whole.get("items").get(0).get("readable").asBoolean()).isTrue();
        assertThat(whole.get("items").get(0).get("size").asLong()).isEqualTo(64L << 20);

        var parts = json(get("/v1/recovery-points/" + partitioned + "/volumes", read()));
        assertThat(parts.get("items")).hasSize(4);
        var p1 = parts.get("items").get(0);
        assertThat(p1.get("name").asString()).isEqualTo("disk0p1");
        assertThat(p1.get("filesystem").asString()).isEqualTo("ext4");
        assertThat(p1.get("readable").asBoolean()).isTrue();
        assertThat(p1.has("reason")).isFalse();
        var p2 = parts.get("items").get(1);
        assertThat(p2.get("name").asString()).isEqualTo("disk0p2");
        assertThat(p2.get("filesystem").asString()).isEqualTo("ntfs");
        assertThat(p2.get("readable").asBoolean()).isTrue();
        var p3 = parts.get("items").get(2);
        assertThat(p3.get("name").asString()).isEqualTo("disk0p3");
        assertThat(p3.get("filesystem").asString()).isEqualTo("xfs");
        assertThat(p3.get("readable").asBoolean()).isTrue();
        var p4 = parts.get("items").get(3);
        assertThat(p4.get("name").asString()).isEqualTo("disk0p4");
        assertThat(p4.get("readable").asBoolean()).isFalse();
        assertThat(p4.get("reason").asString()).contains("zeros");
        var readme = get(content(partitioned, "disk0p1", "/readme.txt"), read());
        assertThat(readme.body()).isEqualTo("partition one\n");
        assertThat(get(content(partitioned, "disk0p2", "/hello.txt"), read()).body())
                .isEqualTo("partition two\r\n");
        var ntfsRoot = json(get(files(partitioned, "disk0p2", "/"), read()));
        assertThat(ntfsRoot.get("items"))
                .extracting(i -> i.get("name").asString())
                .containsExactly("hello.txt");
        var xfsEtc = json(get(files(partitioned, "disk0p3", "/etc"), read()));
        assertThat(xfsEtc.get("items").get(0).get("path").asString()).isEqualTo("/etc/motd");
        assertThat(xfsEtc.get("items").get(0).get("size").asLong()).isEqualTo(16);
        assertThat(get(content(partitioned, "disk0p3", "/etc/motd"), read()).body())
                .isEqualTo("partition three\n");
        var refused = get(files(partitioned, "disk0p4", "/"), read());
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body())
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asString())
                .isEqualTo("volume");
    }

    @Test
    void everyDirectoryListedAndEveryFileFetchedEqualsTheSourceTree() throws Exception {
        int files = 0;
        try (Stream<Path> walk = Files.walk(tree)) {
            for (var directory : walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .toList()) {
                String at = "/" + tree.relativize(directory);
                var listed = listAll(at, 100);
                if (at.equals("/")) {
                    // mke2fs makes lost+found in every root; the tree has none.
                    assertThat(listed.remove("lost+found").get("type").asString())
                            .isEqualTo("dir");
                }
                List<String> expected;
                try (var children = Files.list(directory)) {
                    expected = children.map(p -> p.getFileName().toString())
                            .sorted()
                            .toList();
                }
                assertThat(listed.keySet()).as(at).containsExactlyElementsOf(expected);
                for (var entry : listed.values()) {
                    var source = directory.resolve(entry.get("name").asString());
                    compare(source, entry);
                    if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                        var fetched = getBytes(
                                content(point, "disk0", entry.get("path").asString()));
                        assertThat(fetched.statusCode()).isEqualTo(200);
                        assertThat(fetched.headers().firstValueAsLong("Content-Length"))
                                .hasValue(Files.size(source));
                        assertThat(fetched.headers().firstValue("ETag")).isPresent();
                        assertThat(Arrays.equals(fetched.body(), Files.readAllBytes(source)))
                                .as(entry.get("path").asString())
                                .isTrue();
                        files++;
                    }
                }
            }
        }
        assertThat(files).isEqualTo(265);
    }

    private Map<String, JsonNode> listAll(String path, int limit) throws Exception {
        Map<String, JsonNode> all = new TreeMap<>();
        List<String> order = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            var page = json(get(
                    files(point, "disk0", path) + "&limit=" + limit + (token == null ? "" : "&pageToken=" + token),
                    read()));
            for (var item : page.get("items")) {
                all.put(item.get("name").asString(), item);
                order.add(item.get("name").asString());
            }
            token = page.has("nextPageToken") ? page.get("nextPageToken").asString() : null;
            pages++;
        } while (token != null);
        assertThat(order).as("sorted by name").isSorted();
        assertThat(pages).isEqualTo(Math.max(1, (all.size() + limit - 1) / limit));
        return all;
    }

    private static void compare(Path source, JsonNode entry) throws IOException {
        var attributes = Files.readAttributes(source, "unix:*", LinkOption.NOFOLLOW_LINKS);
        String path = "/" + tree.relativize(source);
        assertThat(entry.get("path").asString()).isEqualTo(path);
        assertThat(entry.get("mode").asString())
                .as(path)
                .isEqualTo(String.format("%04o", (int) attributes.get("mode") & 07777));
        assertThat(entry.get("uid").asLong()).as(path).isEqualTo(((Number) attributes.get("uid")).longValue());
        assertThat(entry.get("gid").asLong()).as(path).isEqualTo(((Number) attributes.get("gid")).longValue());
        assertThat(Instant.parse(entry.get("modifiedAt").asString()).getEpochSecond())
                .as(path)
                .isEqualTo(((FileTime) attributes.get("lastModifiedTime"))
                        .toInstant()
                        .getEpochSecond());
        String type = Files.isSymbolicLink(source)
                ? "symlink"
                : Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)
                        ? "dir"
                        : Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS) ? "file" : "other";
        assertThat(entry.get("type").asString()).as(path).isEqualTo(type);
        if (type.equals("symlink")) {
            assertThat(entry.get("target").asString())
                    .isEqualTo(Files.readSymbolicLink(source).toString());
        } else {
            assertThat(entry.has("target")).isFalse();
        }
        if (type.equals("file")) {
            assertThat(entry.get("size").asLong()).isEqualTo(Files.size(source));
        }
    }

    @Test
    void rangesAndConditionalRequests() throws Exception {
        var source = Files.readAllBytes(tree.resolve("var/lib/big.bin"));
        String url = content(point, "disk0", "/var/lib/big.bin");
        var whole = getBytes(url);
        String etag = whole.headers().firstValue("ETag").orElseThrow();
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");

        var middle = getBytes(url, "Range", "bytes=1048570-3145740");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 1048570-3145740/" + source.length);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(source, 1048570, 3145741));

        var tail = getBytes(url, "Range", "bytes=-100");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(source, source.length - 100, source.length));

        var open = getBytes(url, "Range", "bytes=6291456-");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(source, 6291456, source.length));

        var past = getBytes(url, "Range", "bytes=" + source.length + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + source.length);

        var stale = getBytes(url, "Range", "bytes=0-9", "If-Range", "\"other\"");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).hasSize(source.length);

        var notModified = getBytes(url, "If-None-Match", etag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(getBytes(url).headers().firstValue("ETag")).hasValue(etag);
    }

    @Test
    void aDirectoryAsTarHoldsItsSubtreeWithModesOwnersTimesAndLinks() throws Exception {
        var tar = getBytes(content(point, "disk0", "/home") + "&format=tar");
        assertThat(tar.statusCode()).isEqualTo(200);
        assertThat(tar.headers().firstValue("Content-Type")).hasValue("application/x-tar");
        Map<String, TarArchiveEntry> entries = new TreeMap<>();
        Map<String, byte[]> contents = new TreeMap<>();
        try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar.body()))) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), entry);
                contents.put(entry.getName(), in.readAllBytes());
            }
        }
        List<String> expected = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(tree.resolve("home"))) {
            for (var source : walk.toList()) {
                String name = tree.relativize(source).toString()
                        + (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS) ? "/" : "");
                expected.add(name);
                var entry = entries.get(name);
                assertThat(entry).as(name).isNotNull();
                var attributes = Files.readAttributes(source, "unix:*", LinkOption.NOFOLLOW_LINKS);
                assertThat(entry.getMode() & 07777).as(name).isEqualTo((int) attributes.get("mode") & 07777);
                assertThat(entry.getLongUserId()).as(name).isEqualTo(((Number) attributes.get("uid")).longValue());
                assertThat(entry.getLongGroupId()).as(name).isEqualTo(((Number) attributes.get("gid")).longValue());
                assertThat(entry.getLastModifiedTime().toInstant().getEpochSecond())
                        .as(name)
                        .isEqualTo(((FileTime) attributes.get("lastModifiedTime"))
                                .toInstant()
                                .getEpochSecond());
                if (Files.isSymbolicLink(source)) {
                    assertThat(entry.isSymbolicLink()).isTrue();
                    assertThat(entry.getLinkName())
                            .isEqualTo(Files.readSymbolicLink(source).toString());
                } else if (Files.isRegularFile(source)) {
                    assertThat(entry.isFile()).isTrue();
                    assertThat(contents.get(name)).as(name).isEqualTo(Files.readAllBytes(source));
                } else {
                    assertThat(entry.isDirectory()).as(name).isTrue();
                }
            }
        }
        assertThat(entries.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void badInputIsAProblemNeverAServerError() throws Exception {
        String base = "/v1/recovery-points/" + point;
        assertProblem(get(files(point, "disk0", "/home/../etc"), read()), 400, "path");
        assertProblem(get(files(point, "disk0", "/etc") + "%00x", read()), 400, "path");
        assertProblem(get(content(point, "disk0", "/../../etc/passwd"), read()), 400, "path");
        assertProblem(get(files(point, "disk0", "/nowhere"), read()), 404, null);
        assertProblem(get(content(point, "disk0", "/etc/nope"), read()), 404, null);
        assertProblem(get(files(point, "disk9", "/"), read()), 404, null);
        assertProblem(get(base + "/files?path=/", read()), 400, "volume");
        assertProblem(get(files(point, "disk0", "/etc/hostname"), read()), 400, "path");
        assertProblem(get(content(point, "disk0", "/home"), read()), 400, "path");
        assertProblem(get(content(point, "disk0", "/home/anna/short"), read()), 400, "path");
        assertProblem(get(content(point, "disk0", "/etc/hostname") + "&format=zip", read()), 400, "format");
        assertProblem(get(content(point, "disk0", "/etc/hostname") + "&format=tar", read()), 400, "format");
        assertProblem(get(files(point, "disk0", "/") + "&limit=0", read()), 400, "limit");
        assertProblem(get(files(point, "disk0", "/") + "&pageToken=%21%21", read()), 400, "pageToken");
        assertProblem(get("/v1/recovery-points/rp-nope/volumes", read()), 404, null);
        assertProblem(get("/v1/recovery-points/" + Ids.recoveryPoint() + "/volumes", read()), 404, null);
        assertThat(get(base + "/volumes", bearerWith(Scopes.RESTORES_WRITE)).statusCode())
                .isEqualTo(403);
        assertThat(get(base + "/volumes", null).statusCode()).isEqualTo(401);

        // A point still being written (known, not yet in the vault) and a deleted one: 409.
        String unwritten = Ids.recoveryPoint();
        points.record(known(unwritten, RecoveryPointStatus.AVAILABLE));
        assertProblem(get("/v1/recovery-points/" + unwritten + "/volumes", read()), 409, null);
        String deleted = Ids.recoveryPoint();
        points.record(known(deleted, RecoveryPointStatus.DELETED));
        assertProblem(get("/v1/recovery-points/" + deleted + "/files?volume=disk0&path=/", read()), 409, null);
    }

    private static void assertProblem(HttpResponse<String> response, int status, @Nullable String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        if (field != null) {
            assertThat(JSON.readTree(response.body())
                            .get("errors")
                            .get(0)
                            .get("field")
                            .asString())
                    .isEqualTo(field);
        }
    }

    private static String files(String id, String volume, String path) {
        return "/v1/recovery-points/" + id + "/files?volume=" + enc(volume) + "&path=" + enc(path);
    }

    private static String content(String id, String volume, String path) {
        return "/v1/recovery-points/" + id + "/files/content?volume=" + enc(volume) + "&path=" + enc(path);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String read() {
        return bearerWith(Scopes.FILES_READ);
    }

    private HttpResponse<byte[]> getBytes(String path, String... headers) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", read());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isLessThan(300);
        return JSON.readTree(response.body());
    }
}
