package io.cloudconnector.backgroundjobs.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.backgroundjobs.OtherInboxes;
import io.cloudconnector.backgroundjobs.TestVaults;
import io.cloudconnector.backgroundjobs.job.JobRecord;
import io.cloudconnector.backgroundjobs.job.JobState;
import io.cloudconnector.backgroundjobs.job.JobStore;
import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStatus;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobProgressed;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.filesystems.DiskImages;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.source.ImageFileSource;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * Files restores into a bucket of the emulator: an ext4 image built here from a real tree, backed up into a vault; a
 * subtree and single files restored with {@code POST /v1/restores} ({@code target.type = files}); every object's bytes
 * and metadata (mode, owner, mtime, type, link target) compared with the source tree, a file larger than the part size
 * uploaded in parts; progress counts bytes and files; bad input is a 4xx problem naming the field.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "connector.jobs.mode=local",
            "connector.jobs.reconcile-interval=1h",
            "connector.files.restore.part-size=5242880"
        })
@DirtiesContext
class FilesRestoreIT extends ServiceIntegrationTests {

    private static final String ASSET = "aws:ebs:" + AwsEmulator.ACCOUNT_ID + ":us-east-1:vol-0restore";
    private static final String BUCKET = "customer-restores";

    @TempDir
    static Path dir;

    static @Nullable VaultCreated vault;
    static Path tree;
    static String point;
    static S3Client s3;
    static OtherInboxes inboxes;

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    RecoveryPointStore points;

    @Autowired
    JobStore jobs;

    @Override
    protected String listPath() {
        return "/v1/restores";
    }

    @Override
    protected String listScope() {
        return Scopes.JOBS_READ;
    }

    @BeforeEach
    void backedUpImage() throws Exception {
        if (vault != null) {
            return;
        }
        vault = TestVaults.create(AwsEmulator.shared(), inbox, "restores");
        s3 = ConnectorStack.clients(AwsEmulator.shared()).s3();
        s3.createBucket(b -> b.bucket(BUCKET));
        inboxes = new OtherInboxes(AwsEmulator.shared());
        tree = Files.createDirectories(dir.resolve("tree"));
        var random = new Random(23);
        var big = new byte[12 * 1024 * 1024 + 4321];
        random.nextBytes(big);
        DiskImages.write(tree, "var/lib/big.bin", big);
        DiskImages.write(tree, "var/lib/other.txt", "not restored".getBytes(StandardCharsets.UTF_8));
        DiskImages.write(tree, "etc/hostname", "web-1\n".getBytes(StandardCharsets.UTF_8));
        DiskImages.write(
                tree, "home/anna/notes.txt", "meeting at ten\n".repeat(500).getBytes(StandardCharsets.UTF_8));
        DiskImages.write(tree, "home/anna/Grüße.txt", "hallo".getBytes(StandardCharsets.UTF_8));
        DiskImages.write(tree, "home/anna/empty", new byte[0]);
        var medium = new byte[700_000];
        random.nextBytes(medium);
        DiskImages.write(tree, "home/bob/photo.jpg", medium);
        Files.createDirectories(tree.resolve("home/bob/empty-dir"));
        Files.createSymbolicLink(tree.resolve("home/anna/short"), Path.of("notes.txt"));
        Files.createSymbolicLink(tree.resolve("home/anna/weiter"), Path.of("../bob/Ü ber"));
        Files.setAttribute(tree.resolve("home/anna/Grüße.txt"), "unix:uid", 70001);
        Files.setAttribute(tree.resolve("home/anna/Grüße.txt"), "unix:gid", 1234);
        Files.setAttribute(tree.resolve("etc/hostname"), "unix:mode", 0640);
        Files.setAttribute(tree.resolve("home/bob/photo.jpg"), "unix:mode", 0600);
        Files.setLastModifiedTime(tree.resolve("etc/hostname"), FileTime.fromMillis(1_500_000_000_000L));
        var image = DiskImages.ext4(tree, dir.resolve("fs.img"), "64M");
        var current = Objects.requireNonNull(vault);
        point = TestVaults.read(AwsEmulator.shared(), current, repository -> {
            try (var source = ImageFileSource.open(image)) {
                return repository.backupBlocks(source, BackupOptions.defaults()).id();
            }
        });
        points.record(known(point, RecoveryPointStatus.AVAILABLE));
    }

    private static KnownRecoveryPoint known(String id, RecoveryPointStatus status) {
        return new KnownRecoveryPoint(
                id,
                Objects.requireNonNull(vault).vaultId(),
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
        inboxes.close();
    }

    @Test
    void aSubtreeAndSingleFilesLandInTheBucketWithTheirBytesAndMetadata() throws Exception {
        var accepted = post(
                "/v1/restores",
                "{\"recoveryPointId\":\"" + point + "\",\"target\":{\"type\":\"files\",\"volume\":\"disk0\","
                        + "\"paths\":[\"/home\",\"etc/hostname\",\"/var/lib/big.bin\",\"/home/anna\"],"
                        + "\"s3\":{\"bucket\":\"" + BUCKET + "\",\"prefix\":\"restores/r1\"}}}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = json(accepted).get("jobId").asString();
        var done = awaitEnd(jobId);
        assertThat(done.state()).as(String.valueOf(done.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.kind()).isEqualTo(JobKind.FILES_RESTORE);

        Map<String, Path> expected = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(tree.resolve("home"))) {
            walk.forEach(p -> expected.put(key(p), p));
        }
        expected.put(key(tree.resolve("etc/hostname")), tree.resolve("etc/hostname"));
        expected.put(key(tree.resolve("var/lib/big.bin")), tree.resolve("var/lib/big.bin"));
        var listed = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("restores/r1/")).contents().stream()
                .map(o -> o.key())
                .toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (var entry : expected.entrySet()) {
            compare(entry.getKey(), entry.getValue());
        }
        var big = s3.headObject(b -> b.bucket(BUCKET).key("restores/r1/var/lib/big.bin"));
        assertThat(big.eTag()).as("uploaded in parts").endsWith("-3\"");

        // Progress: all the bytes of the files, and every object as the second count.
        long bytes = 0;
        for (var path : expected.values()) {
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                bytes += Files.size(path);
            }
        }
        long total = bytes;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var progress = inboxes.of("jobstatus", JobProgressed.class).stream()
                    .filter(e -> e.jobId().equals(jobId))
                    .toList();
            assertThat(progress).isNotEmpty().last().satisfies(p -> {
                assertThat(p.bytesDone()).isEqualTo(total);
                assertThat(p.bytesTotal()).isEqualTo(total);
                assertThat(p.secondary()).isNotNull();
                assertThat(Objects.requireNonNull(p.secondary()).unit()).isEqualTo("files");
                assertThat(Objects.requireNonNull(p.secondary()).done()).isEqualTo(expected.size());
            });
        });

        var listing = json(get("/v1/restores", bearerWith(Scopes.JOBS_READ)));
        JsonNode mine = null;
        for (var item : listing.get("items")) {
            if (item.get("jobId").asString().equals(jobId)) {
                mine = item;
            }
        }
        assertThat(mine).isNotNull();
        var target = Objects.requireNonNull(mine).get("target");
        assertThat(target.get("type").asString()).isEqualTo("files");
        assertThat(target.get("volume").asString()).isEqualTo("disk0");
        assertThat(target.get("paths").get(1).asString()).isEqualTo("/etc/hostname");
        assertThat(target.get("s3").get("bucket").asString()).isEqualTo(BUCKET);
    }

    private static String key(Path source) {
        String relative = tree.relativize(source).toString();
        return "restores/r1/" + relative + (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS) ? "/" : "");
    }

    private static void compare(String key, Path source) throws Exception {
        var object = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
        var metadata = object.response().metadata();
        var unix = Files.readAttributes(source, "unix:*", LinkOption.NOFOLLOW_LINKS);
        assertThat(metadata.get("mode")).as(key).isEqualTo(String.format("%04o", (int) unix.get("mode") & 07777));
        assertThat(metadata.get("uid")).as(key).isEqualTo(unix.get("uid").toString());
        assertThat(metadata.get("gid")).as(key).isEqualTo(unix.get("gid").toString());
        assertThat(Instant.parse(metadata.get("mtime")).getEpochSecond())
                .as(key)
                .isEqualTo(((FileTime) unix.get("lastModifiedTime")).toInstant().getEpochSecond());
        if (Files.isSymbolicLink(source)) {
            assertThat(metadata.get("type")).isEqualTo("symlink");
            assertThat(URLDecoder.decode(metadata.get("symlink-target"), StandardCharsets.UTF_8))
                    .isEqualTo(Files.readSymbolicLink(source).toString());
            assertThat(object.asByteArray()).isEmpty();
        } else if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            assertThat(metadata.get("type")).isEqualTo("dir");
            assertThat(object.asByteArray()).isEmpty();
        } else {
            assertThat(metadata.get("type")).isEqualTo("file");
            assertThat(object.asByteArray()).as(key).isEqualTo(Files.readAllBytes(source));
        }
    }

    @Test
    void badInputIsAProblemNamingTheField() throws Exception {
        String files = "{\"recoveryPointId\":\"" + point + "\",\"target\":{\"type\":\"files\"";
        String s3 = ",\"s3\":{\"bucket\":\"" + BUCKET + "\"}";
        assertProblem(post("/v1/restores", files + "}}"), 400, "target.volume", "target.paths", "target.s3.bucket");
        assertProblem(
                post("/v1/restores", files + ",\"volume\":\"disk0\",\"paths\":[\"/etc/../root\"]" + s3 + "}}"),
                400,
                "target.paths[0]");
        assertProblem(
                post("/v1/restores", files + ",\"volume\":\"disk0\",\"paths\":[\"/etc\",\"/a\\u0000b\"]" + s3 + "}}"),
                400,
                "target.paths[1]");
        assertProblem(
                post(
                        "/v1/restores",
                        files + ",\"volume\":\"disk0\",\"paths\":[\"/etc\"],\"s3\":{\"bucket\":\"Not_A_Bucket\"}}}"),
                400,
                "target.s3.bucket");
        assertProblem(
                post(
                        "/v1/restores",
                        files + ",\"volume\":\"disk0\",\"paths\":[\"/etc\",\"/nope\"]" + s3
                                + ",\"instanceType\":\"m6i.large\"}}"),
                400,
                "target.instanceType");
        assertProblem(
                post("/v1/restores", files + ",\"volume\":\"disk0\",\"paths\":[\"/etc\",\"/nope\"]" + s3 + "}}"),
                400,
                "target.paths[1]");
        assertProblem(
                post("/v1/restores", files + ",\"volume\":\"disk9\",\"paths\":[\"/etc\"]" + s3 + "}}"),
                400,
                "target.volume");
        assertProblem(
                post(
                        "/v1/restores",
                        files + ",\"volume\":\"disk0\",\"paths\":[\"/etc\"],\"s3\":{\"bucket\":\""
                                + Objects.requireNonNull(vault).bucketName() + "\"}}}"),
                400,
                "target.s3.bucket");
        assertProblem(
                post(
                        "/v1/restores",
                        "{\"recoveryPointId\":\"rp-01JZZZZZZZZZZZZZZZZZZZZZZZ\",\"target\":{\"type\":\"files\","
                                + "\"volume\":\"disk0\",\"paths\":[\"/etc\"]" + s3 + "}}"),
                404,
                (String) null);
        // Recorded but not (yet, or any longer) complete in its vault: still being written.
        String writing = Ids.recoveryPoint();
        points.record(known(writing, RecoveryPointStatus.AVAILABLE));
        String deleted = Ids.recoveryPoint();
        points.record(known(deleted, RecoveryPointStatus.DELETED));
        for (var id : List.of(writing, deleted)) {
            assertProblem(
                    post(
                            "/v1/restores",
                            "{\"recoveryPointId\":\"" + id + "\",\"target\":{\"type\":\"files\","
                                    + "\"volume\":\"disk0\",\"paths\":[\"/etc\"]" + s3 + "}}"),
                    409,
                    (String) null);
        }
        assertProblem(
                post(
                        "/v1/restores",
                        "{\"recoveryPointId\":\"" + point + "\",\"target\":{\"type\":\"ebs-snapshot\","
                                + "\"volume\":\"disk0\",\"paths\":[\"/etc\"]" + s3 + "}}"),
                400,
                "target.volume",
                "target.paths",
                "target.s3");
        var unknownType =
                post("/v1/restores", "{\"recoveryPointId\":\"" + point + "\",\"target\":{\"type\":\"folders\"}}");
        assertProblem(unknownType, 400, "target.type");
        assertThat(unknownType.body()).contains("files");
        var unscoped = send(
                "POST",
                "/v1/restores",
                files + ",\"volume\":\"disk0\",\"paths\":[\"/etc\"]" + s3 + "}}",
                bearerWith(Scopes.FILES_READ));
        assertThat(unscoped.statusCode()).isEqualTo(403);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String @Nullable ... fields) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        if (fields != null && fields.length > 0 && fields[0] != null) {
            var errors = json(response).get("errors");
            assertThat(errors.valueStream().map(e -> e.get("field").asString()).toList())
                    .as(response.body())
                    .containsExactlyInAnyOrder(fields);
        }
    }

    private JobRecord awaitEnd(String jobId) {
        return await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.find(jobId).orElseThrow(), job -> job.state().finished());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body, bearerWith(Scopes.RESTORES_WRITE));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return EventCodec.standardMapper().readTree(response.body());
    }
}
