package io.cloudconnector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.scalez.sink.EbsSnapshotSink;
import io.cloudconnector.scalez.source.BlockSource;
import io.cloudconnector.scalez.source.EbsSnapshotSource;
import io.cloudconnector.scalez.source.EbsTransferOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Backup and restore flows against a running local stack (started by {@code ./connector up}, after the demo made
 * the {@code demo} vault and backed up its volume), through the services' APIs only; the emulator is used directly
 * just to seed a volume's content (its volumes hold no data: docs/architecture.md, The emulator) and to read a restored
 * snapshot back.
 */
final class BackupFlows {

    private static final int BLOCK = BlockSource.BLOCK_SIZE;
    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "us-east-1";
    /** Random, so incompressible: 128 MiB, enough for a backup to take a few seconds here, to cancel or kill. */
    private static final int SEEDED_BLOCKS = 256;

    private static final List<String> FINAL = List.of("succeeded", "failed", "cancelled");

    private final URI emulator;
    private final Map<String, Integer> ports;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = EventCodec.standardMapper();
    private @Nullable Seeded seeded;

    BackupFlows(URI emulator, Map<String, Integer> ports, String token) {
        this.emulator = emulator;
        this.ports = ports;
        this.token = token;
    }

    /** A volume whose content the test knows: block index to its SHA-256. */
    private record Seeded(String volumeId, Map<Long, String> digests) {}

    void refusedRequestsNameTheFieldAndCreateNoJob() throws Exception {
        String vault = demoVault();
        String volume = demoVolume();
        int accepted = acceptedRequests();
        int jobs = jobstatusJobs();

        assertRefused("/v1/backups", "{\"vaultId\":\"" + vault + "\"}", 400, "assetId");
        assertRefused(
                "/v1/backups", "{\"assetId\":\"vol-0123456789abcdef0\",\"vaultId\":\"" + vault + "\"}", 400, "assetId");
        assertRefused(
                "/v1/backups",
                "{\"assetId\":\"" + volume + "\",\"vaultId\":\"vlt-01jd3zrx5kq0m8yv5d3m0rz2j4\"}",
                400,
                "vaultId");
        assertRefused(
                "/v1/backups",
                "{\"assetId\":\"aws:ebs:" + ACCOUNT + ":eu-central-1:" + volume + "\",\"vaultId\":\"" + vault + "\"}",
                400,
                "vaultId");
        assertRefused(
                "/v1/restores",
                "{\"recoveryPointId\":\"rp-01JD3ZRX5KQ0M8YV5D3M0RZ2J4\",\"target\":{\"type\":" + "\"ebs-snapshot\"}}",
                400,
                "recoveryPointId");

        assertThat(acceptedRequests()).as("backup and restore requests").isEqualTo(accepted);
        // JobCreated would reach jobstatus within a second or two: the count must stay as it was.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> jobstatusJobs() == jobs);
    }

    void theSameIdempotencyKeyGivesTheSameJobAndAnotherBodyIsAConflict() throws Exception {
        String body = "{\"assetId\":\"" + demoVolume() + "\",\"vaultId\":\"" + demoVault() + "\"}";
        String key = "e2e-" + UUID.randomUUID();
        int accepted = acceptedRequests();

        var first = send("background-jobs", "POST", "/v1/backups", body, "Idempotency-Key", key);
        var again = send("background-jobs", "POST", "/v1/backups", body, "Idempotency-Key", key);
        var other = send(
                "background-jobs",
                "POST",
                "/v1/backups",
                body.replace("}", ",\"snapshotId\":\"snap-0123456789abcdef0\"}"),
                "Idempotency-Key",
                key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String jobId = json.readTree(first.body()).get("jobId").asString();
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json.readTree(again.body()).get("jobId").asString()).isEqualTo(jobId);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
        assertThat(other.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(other.body()).contains("Idempotency-Key");
        assertThat(acceptedRequests()).isEqualTo(accepted + 1);
        var job = awaitFinal(jobId, Duration.ofMinutes(3));
        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("succeeded");
        assertThat(pointsOfJob(jobId)).hasSize(1);
    }

    void aCancelledBackupEndsCancelledAndLeavesNoRecoveryPoint() throws Exception {
        var volume = seeded();
        String jobId = startBackup(volume.volumeId());
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !job(jobId).path("state").asString().equals("queued"));

        var cancel = send("jobstatus", "POST", "/v1/jobs/" + jobId + "/cancel", null);

        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
        var job = awaitFinal(jobId, Duration.ofMinutes(1));
        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("cancelled");
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> pointsOfJob(jobId).isEmpty());
    }

    /**
     * {@code kill} stops the background-jobs service as a dying machine would (SIGKILL); {@code restart} brings it
     * back. The job's next run, once the dead run's lease lapsed, writes the recovery point; restored, it holds the
     * volume's blocks.
     */
    void aBackupWhoseServiceIsKilledLeavesNoRecoveryPointAndItsRetrySucceeds(
            ThrowingRunnable kill, ThrowingRunnable restart) throws Exception {
        var volume = seeded();
        String jobId = startBackup(volume.volumeId());
        var running = await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> job(jobId),
                        j -> FINAL.contains(j.path("state").asString())
                                || j.path("progress").path("bytesDone").asLong() > 0);
        if (FINAL.contains(running.path("state").asString())) {
            fail("The backup ended before it could be killed: " + running);
        }

        kill.run();

        assertThat(job(jobId).path("state").asString()).isEqualTo("running");
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> pointsOfJob(jobId).isEmpty());

        restart.run();

        var done = awaitFinal(jobId, Duration.ofMinutes(5));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("succeeded");
        String pointId = done.path("result").path("recoveryPointId").asString();
        var points = await().atMost(Duration.ofSeconds(60)).until(() -> pointsOfJob(jobId), p -> !p.isEmpty());
        assertThat(points).extracting(p -> p.get("id").asString()).containsExactly(pointId);

        var restore = send(
                "background-jobs",
                "POST",
                "/v1/restores",
                "{\"recoveryPointId\":\"" + pointId + "\",\"target\":{\"type\":\"ebs-snapshot\"}}");
        assertThat(restore.statusCode()).as(restore.body()).isEqualTo(202);
        var restored = awaitFinal(json.readTree(restore.body()).get("jobId").asString(), Duration.ofMinutes(3));
        assertThat(restored.path("state").asString()).as(restored.toString()).isEqualTo("succeeded");
        assertThat(digests(restored.path("result").path("snapshotId").asString()))
                .isEqualTo(volume.digests());
    }

    void anInstanceWithTwoVolumesIsBackedUpAsOnePointAndRestoredAsANewInstance() throws Exception {
        var clients = clients();
        try (var ebs = clients.sync(EbsClient.builder());
                var ec2 = clients.sync(Ec2Client.builder())) {
            var subnet = ec2.describeSubnets().subnets().getFirst();
            var instance = ec2.runInstances(b -> b.imageId("ami-12c6146b")
                            .instanceType("t3.small")
                            .minCount(1)
                            .maxCount(1)
                            .subnetId(subnet.subnetId())
                            .tagSpecifications(t -> t.resourceType("instance")
                                    .tags(g -> g.key("Name").value("e2e-web"))))
                    .instances()
                    .getFirst();
            Map<Long, String> data = new HashMap<>();
            String snapshot = seed(ebs, 2, 24, 11, data);
            String volume = ec2.createVolume(b -> b.snapshotId(snapshot)
                            .size(2)
                            .availabilityZone(instance.placement().availabilityZone()))
                    .volumeId();
            ec2.attachVolume(
                    b -> b.volumeId(volume).instanceId(instance.instanceId()).device("/dev/sdf"));

            String backupJob = startBackup(instance.instanceId());
            var backup = awaitFinal(backupJob, Duration.ofMinutes(3));
            assertThat(backup.path("state").asString()).as(backup.toString()).isEqualTo("succeeded");
            String pointId = backup.path("result").path("recoveryPointId").asString();
            var point = await().atMost(Duration.ofSeconds(60))
                    .until(() -> pointsOfJob(backupJob), p -> !p.isEmpty())
                    .getFirst();
            assertThat(point.get("id").asString()).isEqualTo(pointId);
            assertThat(point.get("kind").asString()).isEqualTo("ec2");
            assertThat(point.get("assetId").asString())
                    .isEqualTo("aws:ec2:" + ACCOUNT + ":" + REGION + ":" + instance.instanceId());
            assertThat(point.get("source").get("instance-type").asString()).isEqualTo("t3.small");

            var restore = send(
                    "background-jobs",
                    "POST",
                    "/v1/restores",
                    "{\"recoveryPointId\":\"" + pointId
                            + "\",\"target\":{\"type\":\"ec2-instance\",\"instanceType\":\"m5.large\"}}");
            assertThat(restore.statusCode()).as(restore.body()).isEqualTo(202);
            var restored = awaitFinal(json.readTree(restore.body()).get("jobId").asString(), Duration.ofMinutes(3));
            assertThat(restored.path("state").asString())
                    .as(restored.toString())
                    .isEqualTo("succeeded");
            String launchedId = restored.path("result").path("instanceId").asString();
            var launched = ec2.describeInstances(b -> b.instanceIds(launchedId))
                    .reservations()
                    .getFirst()
                    .instances()
                    .getFirst();
            assertThat(launched.instanceTypeAsString()).isEqualTo("m5.large");
            assertThat(launched.subnetId()).isEqualTo(subnet.subnetId());
            assertThat(launched.tags())
                    .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("Name=e2e-web"));
            Map<String, String> snapshotByDevice = new HashMap<>();
            for (var mapping : launched.blockDeviceMappings()) {
                snapshotByDevice.put(
                        mapping.deviceName(),
                        ec2.describeVolumes(b -> b.volumeIds(mapping.ebs().volumeId()))
                                .volumes()
                                .getFirst()
                                .snapshotId());
            }
            assertThat(snapshotByDevice).containsOnlyKeys("/dev/sda1", "/dev/sdf");
            assertThat(digests(snapshotByDevice.get("/dev/sdf"))).isEqualTo(data);
            assertThat(digests(snapshotByDevice.get("/dev/sda1")))
                    .as("the empty root volume")
                    .isEmpty();
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private void assertRefused(String path, String body, int status, String field) throws Exception {
        var response = send("background-jobs", "POST", path, body);
        assertThat(response.statusCode()).as(body + " → " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(json.readTree(response.body())
                        .path("errors")
                        .valueStream()
                        .map(e -> e.path("field").asString()))
                .as(response.body())
                .containsExactly(field);
    }

    private String startBackup(String volumeId) throws Exception {
        var accepted = send(
                "background-jobs",
                "POST",
                "/v1/backups",
                "{\"assetId\":\"" + volumeId + "\",\"vaultId\":\"" + demoVault() + "\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return json.readTree(accepted.body()).get("jobId").asString();
    }

    private String demoVault() throws Exception {
        for (JsonNode vault : page("catalog", "/v1/vaults?limit=500")) {
            if (vault.path("name").asString().equals("demo")
                    && vault.path("status").asString().equals("active")) {
                return vault.get("id").asString();
            }
        }
        return fail("The demo made no active vault named demo");
    }

    /** The volume the demo backed up: the asset of the oldest backup request. */
    private String demoVolume() throws Exception {
        var backups = page("background-jobs", "/v1/backups?limit=500");
        assertThat(backups).as("backup requests").isNotEmpty();
        String asset = backups.getLast().get("assetId").asString();
        return asset.substring(asset.lastIndexOf(':') + 1);
    }

    private int acceptedRequests() throws Exception {
        return page("background-jobs", "/v1/backups?limit=500").size()
                + page("background-jobs", "/v1/restores?limit=500").size();
    }

    private int jobstatusJobs() throws Exception {
        return page("jobstatus", "/v1/jobs?limit=500").size();
    }

    private List<JsonNode> pointsOfJob(String jobId) throws Exception {
        return page("catalog", "/v1/recovery-points?vaultId=" + demoVault() + "&limit=500").stream()
                .filter(p -> jobId.equals(p.path("jobId").asString(null)))
                .toList();
    }

    private JsonNode job(String jobId) throws Exception {
        var response = send("jobstatus", "GET", "/v1/jobs/" + jobId, null);
        // JobCreated may still be on its way to jobstatus.
        return response.statusCode() == 404 ? json.readTree("{\"state\":\"queued\"}") : json.readTree(response.body());
    }

    private JsonNode awaitFinal(String jobId, Duration atMost) {
        return await().atMost(atMost)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> job(jobId), j -> FINAL.contains(j.path("state").asString()));
    }

    private List<JsonNode> page(String service, String path) throws Exception {
        var response = send(service, "GET", path, null);
        assertThat(response.statusCode()).as(path + " → " + response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("items").valueStream().toList();
    }

    private HttpResponse<String> send(
            String service, String method, String path, @Nullable String body, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(service) + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private AwsClientFactory clients() {
        return new AwsClientFactory(AwsProperties.of(REGION, emulator).withStaticCredentials("test", "test"));
    }

    /** A 1 GiB volume with {@link #SEEDED_BLOCKS} random blocks, written through the EBS direct APIs. */
    private Seeded seeded() throws Exception {
        if (seeded != null) {
            return seeded;
        }
        Map<Long, String> digests = new HashMap<>();
        var clients = clients();
        try (var ebs = clients.sync(EbsClient.builder());
                var ec2 = clients.sync(Ec2Client.builder())) {
            String snapshot = seed(ebs, 1, SEEDED_BLOCKS, 7, digests);
            String volume = ec2.createVolume(b -> b.snapshotId(snapshot)
                            .availabilityZone(REGION + "a")
                            .size(1))
                    .volumeId();
            seeded = new Seeded(volume, digests);
            return seeded;
        }
    }

    /** A completed snapshot of a {@code sizeGiB} volume with {@code blocks} random blocks; their digests go to {@code digests}. */
    private static String seed(EbsClient ebs, int sizeGiB, int blocks, long seed, Map<Long, String> digests)
            throws Exception {
        var random = new SplittableRandom(seed);
        try (var sink = EbsSnapshotSink.create(
                ebs,
                new EbsSnapshotSink.NewSnapshot(
                        "e2e volume", Map.of(), false, null, UUID.randomUUID().toString(), 10),
                EbsTransferOptions.defaults().withConcurrency(8))) {
            sink.start((long) sizeGiB << 30);
            var buffer = new byte[BLOCK];
            for (int i = 0; i < blocks; i++) {
                long index = 7L * i + 3;
                random.nextBytes(buffer);
                sink.writeBlock(index, buffer, BLOCK);
                digests.put(index, sha256(buffer));
            }
            sink.finish();
            return sink.snapshotId();
        }
    }

    /** Each written block of a snapshot, read back through the EBS direct APIs: index to SHA-256. */
    private Map<Long, String> digests(String snapshotId) throws Exception {
        Map<Long, String> digests = new HashMap<>();
        try (var ebs = clients().sync(EbsClient.builder());
                var source = EbsSnapshotSource.of(
                        ebs, snapshotId, EbsTransferOptions.defaults().withConcurrency(8))) {
            var buffer = new byte[BLOCK];
            for (int index : source.allocatedBlocks().orElseThrow().stream().toArray()) {
                source.readBlock(index, buffer);
                digests.put((long) index, sha256(buffer));
            }
        }
        return digests;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
