package io.cloudconnector.catalog.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.event.RecoveryPointLabels;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.EmulatedAccount;
import io.cloudconnector.common.testing.IdempotencyContractTests;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import io.cloudconnector.scalez.backup.BackupOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Vaults end to end against the emulator: each creation deploys infra/cloudformation/vault.yaml through
 * CloudFormation and initialises a KMS-keyed ScaleZ repository in the new bucket.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "connector.vaults.reconcile-interval=2s")
@DirtiesContext
class VaultApiIT extends ServiceIntegrationTests implements IdempotencyContractTests {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static EmulatedAccount account;
    private static EmulatedAccount otherRegion;
    private static S3Client s3;
    private static EmulatedAccount contractRegion;
    private static final AtomicInteger NAMES = new AtomicInteger();

    @Autowired
    VaultRepository vaults;

    @Autowired
    VaultStorage storage;

    @Autowired
    LeftoverBuckets leftovers;

    @BeforeAll
    static void customerAccount(AwsEmulator emulator) {
        account = EmulatedAccount.create(emulator, "us-east-1");
        otherRegion = EmulatedAccount.create(emulator, "us-west-2");
        s3 = ConnectorStack.clients(emulator).s3();
        // The contract's vaults take slots of a region of their own (us-east-2 holds one other test's vault).
        contractRegion = EmulatedAccount.create(emulator, "us-east-2");
    }

    @Override
    public List<IdempotentEndpoint> idempotentEndpoints() {
        // Every accepted body needs a name of its own: a vault name is unique within the connector.
        Supplier<String> newVault = () -> body(
                "keyed-" + NAMES.incrementAndGet(),
                "us-east-2",
                contractRegion.vpcId(),
                contractRegion.privateSubnets());
        return List.of(new IdempotentEndpoint("/v1/vaults", Scopes.VAULTS_WRITE, newVault, newVault));
    }

    @Override
    public HttpResponse<String> contractPost(String path, @Nullable String json, String scope, String... headers)
            throws IOException, InterruptedException {
        return send("POST", path, json, bearerWith(scope), headers);
    }

    @Override
    protected String listPath() {
        return "/v1/vaults";
    }

    @Override
    protected String listScope() {
        return Scopes.VAULTS_READ;
    }

    @Test
    void aVaultIsCreatedWithItsStackBucketKeyAndRepository() throws Exception {
        var created = create(body("prod", "us-east-1", account.vpcId(), account.privateSubnets()), null);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode vault = JSON.readTree(created.body());
        String id = vault.get("id").asString();
        assertThat(id).matches("vlt-[0-9a-z]{26}");
        assertThat(vault.get("status").asString()).isEqualTo("creating");
        assertThat(created.headers().firstValue("Location")).contains("/v1/vaults/" + id);
        assertThat(vault.get("objectLock").get("mode").asString())
                .as("locked by default")
                .isEqualTo("governance");
        assertThat(vault.get("objectLock").get("days").asInt()).isEqualTo(30);
        assertThat(vault.get("health").asString()).isEqualTo("unchecked");

        JsonNode active = awaitStatus(id, "active");
        assertThat(active.get("bucketName").asString()).isEqualTo("cc-test-" + id);
        assertThat(active.get("kmsKeyArn").asString()).startsWith("arn:aws:kms:us-east-1:");
        assertThat(active.get("subnetKind").asString()).isEqualTo("private");
        var objects = s3.listObjectsV2(b -> b.bucket("cc-test-" + id)).contents().stream()
                .map(o -> o.key())
                .toList();
        assertThat(objects).contains("config").anyMatch(k -> k.startsWith("keys/"));
    }

    @Test
    void aVaultOnEc2SpotDeploysItsStackWithTheLaunchTemplate(AwsEmulator emulator) throws Exception {
        // Its own region, so that it takes none of the slots the other tests count on.
        var east2 = EmulatedAccount.create(emulator, "us-east-2");
        var created = create(
                body("ec2-servers", "us-east-2", east2.vpcId(), east2.privateSubnets())
                        .replace("]}", "],\"scalezCapacity\":\"ec2-spot\"}"),
                null);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = JSON.readTree(created.body()).get("id").asString();
        assertThat(JSON.readTree(created.body()).get("scalezCapacity").asString())
                .isEqualTo("ec2-spot");
        JsonNode active = awaitStatus(id, "active");
        assertThat(active.get("scalezCapacity").asString()).isEqualTo("ec2-spot");

        try (var cloudFormation = new AwsClientFactory(AwsProperties.of("us-east-2", emulator.endpoint())
                        .withStaticCredentials(emulator.accessKeyId(), emulator.secretAccessKey())
                        .withMaxAttempts(1))
                .sync(CloudFormationClient.builder())) {
            Stack stack = cloudFormation
                    .describeStacks(b -> b.stackName("cc-test-" + id))
                    .stacks()
                    .getFirst();
            assertThat(stack.parameters())
                    .anyMatch(p -> p.parameterKey().equals("ScalezCapacity")
                            && p.parameterValue().equals("EC2_SPOT"));
            assertThat(stack.outputs())
                    .anyMatch(o -> o.outputKey().equals("ScalezCapacity")
                            && o.outputValue().equals("EC2_SPOT"));
            assertThat(stack.outputs())
                    .anyMatch(o -> o.outputKey().equals("ScalezServerLaunchTemplateId")
                            && o.outputValue().startsWith("lt-"));
        }
    }

    @Test
    void refusedRequestsNameTheFieldAndCreateNothing() throws Exception {
        int before = vaultCount();
        String otherVpcSubnet = otherRegion.privateSubnets().getFirst();
        List<String> mixed = List.of(
                account.privateSubnets().getFirst(), account.publicSubnets().getFirst());
        assertRefused(body("a", "eu-west-1", account.vpcId(), account.privateSubnets()), 400, "region");
        assertRefused(body("b", "us-east-1", "vpc-0000000000000000f", account.privateSubnets()), 400, "vpcId");
        assertRefused(body("c", "us-east-1", account.vpcId(), List.of("subnet-0000000000000000f")), 400, "subnetIds");
        assertRefused(body("d", "us-east-1", account.vpcId(), mixed), 400, "subnetIds");
        assertRefused(
                body(
                        "e",
                        "us-west-2",
                        otherRegion.vpcId(),
                        List.of(otherVpcSubnet, account.privateSubnets().getFirst())),
                400,
                "subnetIds");
        assertThat(vaultCount()).isEqualTo(before);
    }

    @Test
    void aNameIsUniqueWithinTheConnector() throws Exception {
        assertThat(create(body("shared-name", "us-east-1", account.vpcId(), account.publicSubnets()), null)
                        .statusCode())
                .isEqualTo(202);

        assertRefused(body("Shared-Name", "us-east-1", account.vpcId(), account.publicSubnets()), 409, "name");
    }

    @Test
    void aRegionHoldsAtMostSevenVaults() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            var created =
                    create(body("west-" + i, "us-west-2", otherRegion.vpcId(), otherRegion.privateSubnets()), null);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
            ids.add(JSON.readTree(created.body()).get("id").asString());
        }

        assertRefused(body("west-7", "us-west-2", otherRegion.vpcId(), otherRegion.privateSubnets()), 409, "region");
        for (String id : ids) {
            awaitStatus(id, "active");
        }
    }

    @Test
    void anEmptyVaultIsDeletedItsObjectsForgottenAndItsNameCanBeReused() throws Exception {
        String id = JSON.readTree(create(
                                unlocked(body("short-lived", "us-east-1", account.vpcId(), account.privateSubnets())),
                                null)
                        .body())
                .get("id")
                .asString();
        awaitStatus(id, "active");

        var deleting = send("DELETE", "/v1/vaults/" + id, null, bearerWith(Scopes.VAULTS_WRITE));

        assertThat(deleting.statusCode()).as(deleting.body()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(() -> assertThat(get("/v1/vaults/" + id, bearerWith(Scopes.VAULTS_READ))
                                .statusCode())
                        .isEqualTo(404));
        assertForgottenButVersionsKept("cc-test-" + id);
        assertThat(create(body("short-lived", "us-east-1", account.vpcId(), account.privateSubnets()), null)
                        .statusCode())
                .isEqualTo(202);
    }

    @Test
    void retentionIsStoredOnTheVault() throws Exception {
        String id = JSON.readTree(create(body("kept", "us-east-1", account.vpcId(), account.privateSubnets()), null)
                        .body())
                .get("id")
                .asString();

        var set = send(
                "PUT",
                "/v1/vaults/" + id + "/retention",
                "{\"keepLast\":3,\"keepDaily\":7,\"keepWeekly\":4,\"keepMonthly\":12,\"keepYearly\":2}",
                bearerWith(Scopes.VAULTS_WRITE));
        var nothing = send(
                "PUT",
                "/v1/vaults/" + id + "/retention",
                "{\"keepLast\":0,\"keepDaily\":0,\"keepWeekly\":0,\"keepMonthly\":0,\"keepYearly\":0}",
                bearerWith(Scopes.VAULTS_WRITE));

        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).get("retention").get("keepMonthly").asInt())
                .isEqualTo(12);
        assertThat(nothing.statusCode()).isEqualTo(400);
    }

    @Test
    void aFailedCreationIsRolledBackAndGivesItsNameBack(AwsEmulator emulator) throws Exception {
        try (var iam = ConnectorStack.clients(emulator).sync(IamClient.builder())) {
            // Without AWS Batch's service-linked role the vault stack cannot be created.
            iam.deleteRole(b -> b.roleName("AWSServiceRoleForBatch"));
            try {
                var created = create(body("doomed", "us-east-1", account.vpcId(), account.privateSubnets()), null);
                String id = JSON.readTree(created.body()).get("id").asString();

                JsonNode failed = await().atMost(Duration.ofMinutes(2))
                        .until(
                                () -> JSON.readTree(get("/v1/vaults/" + id, bearerWith(Scopes.VAULTS_READ))
                                        .body()),
                                v -> v.path("status").asString().equals("failed"));

                assertThat(failed.get("statusReason").asString()).contains("cc-test-" + id);
                assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals("cc-test-" + id));
            } finally {
                EmulatedAccount.create(emulator, "eu-central-1"); // gives the role back
            }
        }
        assertThat(create(body("doomed", "us-east-1", account.vpcId(), account.privateSubnets()), null)
                        .statusCode())
                .isEqualTo(202);
    }

    @Test
    void aVaultHoldingRecoveryPointsIsRefusedWithoutPurgeAndPurgedWithItsData(AwsEmulator emulator) throws Exception {
        var purged = EmulatedAccount.create(emulator, "ap-southeast-2");
        String id = JSON.readTree(create(
                                unlocked(body("purged", "ap-southeast-2", purged.vpcId(), purged.privateSubnets())),
                                null)
                        .body())
                .get("id")
                .asString();
        assertThat(JSON.readTree(get("/v1/vaults/" + id, bearerWith(Scopes.VAULTS_READ))
                                .body())
                        .has("objectLock"))
                .as("\"objectLock\": null turns the default lock off")
                .isFalse();
        awaitStatus(id, "active");
        var vault = vaults.find(id).orElseThrow();
        var point = storage.open(vault)
                .backupStream(
                        new ByteArrayInputStream(new byte[200_000]),
                        BackupOptions.defaults()
                                .withLabels(Map.of(
                                        RecoveryPointLabels.ASSET_ID,
                                        "aws:ebs:123456789012:ap-southeast-2:vol-0000000000000000a",
                                        RecoveryPointLabels.KIND,
                                        "ebs",
                                        RecoveryPointLabels.JOB_ID,
                                        "j-1")));
        var rebuilt = send("POST", "/v1/vaults/" + id + "/catalog:rebuild", null, bearerWith(Scopes.VAULTS_WRITE));
        assertThat(rebuilt.statusCode()).as(rebuilt.body()).isEqualTo(200);

        var refused = send("DELETE", "/v1/vaults/" + id, null, bearerWith(Scopes.VAULTS_WRITE));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(field(refused)).isEqualTo("purge");
        assertThat(send("DELETE", "/v1/vaults/" + id + "?purge=true", null, bearerWith(Scopes.VAULTS_WRITE))
                        .statusCode())
                .as("purge without vaults:unlock")
                .isEqualTo(403);
        var bad = send("DELETE", "/v1/vaults/" + id + "?purge=yes", null, bearerWith(Scopes.VAULTS_WRITE));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(field(bad)).isEqualTo("purge");

        var purging = send(
                "DELETE",
                "/v1/vaults/" + id + "?purge=true",
                null,
                bearerWith(Scopes.VAULTS_WRITE, Scopes.VAULTS_UNLOCK));

        assertThat(purging.statusCode()).as(purging.body()).isEqualTo(202);
        assertThat(JSON.readTree(purging.body()).get("status").asString()).isEqualTo("deleting");
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(() -> assertThat(get("/v1/vaults/" + id, bearerWith(Scopes.VAULTS_READ))
                                .statusCode())
                        .isEqualTo(404));
        String bucket = "cc-test-" + id;
        assertForgottenButVersionsKept(bucket);
        var gone = JSON.readTree(get("/v1/recovery-points/" + point.id(), bearerWith(Scopes.VAULTS_READ))
                .body());
        assertThat(gone.get("state").asString()).isEqualTo("deleted");

        // The bucket is remembered, kept by the sweep while it holds versions, removed once the lifecycle expired them.
        assertThat(leftovers.all()).extracting(LeftoverBuckets.Leftover::bucket).contains(bucket);
        leftovers.sweep();
        assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions())
                .as("kept while versions remain")
                .isNotEmpty();
        assertThat(leftovers.all()).extracting(LeftoverBuckets.Leftover::bucket).contains(bucket);
        expireEveryVersion(bucket);
        leftovers.sweep();
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(bucket))).isInstanceOf(NoSuchBucketException.class);
        assertThat(leftovers.all()).extracting(LeftoverBuckets.Leftover::bucket).doesNotContain(bucket);
        leftovers.sweep(); // again: nothing to do, nothing fails
    }

    @Test
    void aVaultUnderObjectLockIsPurgedOnlyOnceItsNewestLockHasEnded(AwsEmulator emulator) throws Exception {
        var locked = EmulatedAccount.create(emulator, "ap-southeast-2");
        String id = JSON.readTree(create(
                                body("locked-for-a-day", "ap-southeast-2", locked.vpcId(), locked.privateSubnets())
                                        .replace("]}", "],\"objectLock\":{\"mode\":\"governance\",\"days\":1}}"),
                                null)
                        .body())
                .get("id")
                .asString();
        awaitStatus(id, "active");

        var refused = send(
                "DELETE",
                "/v1/vaults/" + id + "?purge=true",
                null,
                bearerWith(Scopes.VAULTS_WRITE, Scopes.VAULTS_UNLOCK));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(field(refused)).isEqualTo("purge");
        String detail = JSON.readTree(refused.body()).get("detail").asString();
        String from = detail.substring(detail.lastIndexOf("purged from ") + "purged from ".length());
        assertThat(Instant.parse(from))
                .isAfter(Instant.now().plus(Duration.ofHours(23)))
                .isBefore(Instant.now().plus(Duration.ofDays(1)));
        assertThat(JSON.readTree(get("/v1/vaults/" + id, bearerWith(Scopes.VAULTS_READ))
                                .body())
                        .get("status")
                        .asString())
                .isEqualTo("active");

        // The engine's records count too: a point whose lock was extended pushes the date back, and a point under
        // legal hold refuses the purge naming the point.
        var repository = storage.open(vaults.find(id).orElseThrow());
        var point = repository.backupStream(new ByteArrayInputStream(new byte[50_000]), BackupOptions.defaults());
        Instant extended = Instant.now().plus(Duration.ofDays(5)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        repository.changeLock(point.id(), extended, false);
        repository.legalHold(point.id(), true);
        var held = send(
                "DELETE",
                "/v1/vaults/" + id + "?purge=true",
                null,
                bearerWith(Scopes.VAULTS_WRITE, Scopes.VAULTS_UNLOCK));
        assertThat(held.statusCode()).as(held.body()).isEqualTo(409);
        assertThat(field(held)).isEqualTo("purge");
        assertThat(held.body()).contains(point.id()).contains("legal hold");

        repository.legalHold(point.id(), false);
        var later = send(
                "DELETE",
                "/v1/vaults/" + id + "?purge=true",
                null,
                bearerWith(Scopes.VAULTS_WRITE, Scopes.VAULTS_UNLOCK));
        assertThat(later.statusCode()).as(later.body()).isEqualTo(409);
        String laterDetail = JSON.readTree(later.body()).get("detail").asString();
        assertThat(Instant.parse(
                        laterDetail.substring(laterDetail.lastIndexOf("purged from ") + "purged from ".length())))
                .as("the extended lock, from the engine's records")
                .isEqualTo(extended);
    }

    @Test
    void anIdThisConnectorDoesNotKnowIs404() throws Exception {
        String foreign = "vlt-01jd3zrx5kq0m8yv5d3m0rz2j4";
        assertThat(get("/v1/vaults/" + foreign, bearerWith(Scopes.VAULTS_READ)).statusCode())
                .isEqualTo(404);
        assertThat(send("DELETE", "/v1/vaults/" + foreign, null, bearerWith(Scopes.VAULTS_WRITE))
                        .statusCode())
                .isEqualTo(404);
    }

    /**
     * A deleted or purged vault's bucket: every object forgotten (a delete marker each), its versions kept, since no
     * connector role may delete a version (the bucket's lifecycle expires them; the break-glass role may at once).
     */
    private static void assertForgottenButVersionsKept(String bucket) {
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents())
                .as("no current object")
                .isEmpty();
        assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions())
                .as("the versions, for the lifecycle")
                .isNotEmpty();
    }

    /** What the bucket's lifecycle does after the noncurrent-version window: every version and marker gone. */
    private static void expireEveryVersion(String bucket) {
        var listing = s3.listObjectVersions(b -> b.bucket(bucket));
        listing.versions()
                .forEach(v -> s3.deleteObject(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId())));
        listing.deleteMarkers()
                .forEach(m -> s3.deleteObject(b -> b.bucket(bucket).key(m.key()).versionId(m.versionId())));
    }

    private HttpResponse<String> create(String json, String idempotencyKey) throws Exception {
        return idempotencyKey == null
                ? send("POST", "/v1/vaults", json, bearerWith(Scopes.VAULTS_WRITE))
                : send("POST", "/v1/vaults", json, bearerWith(Scopes.VAULTS_WRITE), "Idempotency-Key", idempotencyKey);
    }

    /** The body asking explicitly for no Object Lock (a locked bucket cannot be emptied until its lock ends). */
    private static String unlocked(String body) {
        return body.replace("]}", "],\"objectLock\":null}");
    }

    private static String field(HttpResponse<String> response) {
        return JSON.readTree(response.body()).get("errors").get(0).get("field").asString();
    }

    private void assertRefused(String json, int status, String field) throws Exception {
        var response = create(json, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(response.body())
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asString())
                .isEqualTo(field);
    }

    private JsonNode awaitStatus(String id, String status) {
        return await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> JSON.readTree(get("/v1/vaults/" + id, bearerWith(Scopes.VAULTS_READ))
                                .body()),
                        v -> {
                            if (v.path("status").asString().equals("failed")) {
                                throw new AssertionError("vault failed: "
                                        + v.path("statusReason").asString());
                            }
                            return v.path("status").asString().equals(status);
                        });
    }

    private int vaultCount() throws Exception {
        return JSON.readTree(get("/v1/vaults?limit=500", bearerWith(Scopes.VAULTS_READ))
                        .body())
                .get("items")
                .size();
    }

    private static String body(String name, String region, String vpc, List<String> subnets) {
        return """
                {"name":"%s","region":"%s","vpcId":"%s","subnetIds":[%s]}""".formatted(
                name,
                region,
                vpc,
                String.join(",", subnets.stream().map(s -> "\"" + s + "\"").toList()));
    }
}
