package io.cloudconnector.backgroundjobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.backgroundjobs.job.JobRecord;
import io.cloudconnector.backgroundjobs.job.JobState;
import io.cloudconnector.backgroundjobs.job.JobStore;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import tools.jackson.databind.JsonNode;

/**
 * EC2 restores that come back whole, against the emulator: an instance launched with an instance profile, user
 * data, a key pair, a security group, two network interfaces with fixed private addresses, metadata options, tags,
 * an encrypted gp3 root and an encrypted gp2 data volume (each with its own delete-on-termination) is backed up and
 * restored, and each of these is read back from the restored instance. Overrides (zone, subnet, type, security
 * groups, KMS key, no public address), the temporary image's removal (or keeping), bad input and a failed launch
 * (nothing left behind) are tested too. What the emulator does not record (tenancy, TPM, ENA and SR-IOV flags of an
 * image, IOPS and throughput of a launched volume; it cannot launch io1/io2 volumes at all) is not asserted: see docs/restore.md.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "connector.jobs.mode=local",
            "connector.jobs.reconcile-interval=1h",
            "connector.jobs.ebs-concurrency=4"
        })
@DirtiesContext
// The attribute test runs first: it expects the freed address of the second interface, which a later restore takes.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceRestoreIT extends ServiceIntegrationTests {

    private static final String USER_DATA = "#!/bin/sh\necho restored > /tmp/hello\n";
    private static final String PROFILE = "restore-web";

    private static VaultCreated vault;
    private static EmulatedVolumes volumes;
    private static Ec2Client ec2;
    private static IamClient iam;
    private static KmsClient kms;
    private static Source source;

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    JobStore jobs;

    @Autowired
    RecoveryPointStore points;

    /** The instance backed up, and what it was launched with. */
    record Source(
            Instance instance,
            String pointId,
            String subnetId,
            String vpcId,
            String groupId,
            String keyArn,
            String profileArn,
            Map<Integer, String> addressByIndex,
            Map<String, Volume> volumeByDevice) {}

    @Override
    protected String listPath() {
        return "/v1/restores";
    }

    @Override
    protected String listScope() {
        return Scopes.JOBS_READ;
    }

    @BeforeEach
    void backedUpInstance() throws Exception {
        if (source != null) {
            return;
        }
        var emulator = AwsEmulator.shared();
        vault = TestVaults.create(emulator, inbox, "instances");
        volumes = new EmulatedVolumes(emulator);
        var clients = ConnectorStack.clients(emulator);
        ec2 = clients.sync(Ec2Client.builder());
        iam = clients.sync(IamClient.builder());
        kms = clients.sync(KmsClient.builder());

        var subnet = ec2.describeSubnets(
                        b -> b.filters(f -> f.name("availability-zone").values(emulator.region() + "a")))
                .subnets()
                .getFirst();
        String group = ec2.createSecurityGroup(
                        b -> b.groupName("web").description("web servers").vpcId(subnet.vpcId()))
                .groupId();
        ec2.createKeyPair(b -> b.keyName("ops"));
        String profileArn = createProfile();
        String key = kms.createKey(b -> b.description("volumes")).keyMetadata().arn();
        String prefix = subnet.cidrBlock()
                .substring(
                        0,
                        subnet.cidrBlock().lastIndexOf('.', subnet.cidrBlock().indexOf('/')));
        String first = prefix + ".40";
        String second = prefix + ".41";
        var launched = ec2.runInstances(b -> b.imageId("ami-12c6146b")
                        .instanceType("t3.small")
                        .minCount(1)
                        .maxCount(1)
                        .keyName("ops")
                        .userData(base64(USER_DATA))
                        .iamInstanceProfile(p -> p.arn(profileArn))
                        .placement(p -> p.tenancy("dedicated"))
                        .metadataOptions(m -> m.httpTokens("required")
                                .httpPutResponseHopLimit(3)
                                .httpEndpoint("enabled")
                                .instanceMetadataTags("enabled"))
                        .networkInterfaces(
                                n -> n.deviceIndex(0)
                                        .subnetId(subnet.subnetId())
                                        .groups(group)
                                        .privateIpAddress(first),
                                n -> n.deviceIndex(1)
                                        .subnetId(subnet.subnetId())
                                        .groups(group)
                                        .privateIpAddress(second))
                        .blockDeviceMappings(m -> m.deviceName("/dev/sda1")
                                .ebs(e -> e.volumeSize(8)
                                        .volumeType("gp3")
                                        .encrypted(true)
                                        .kmsKeyId(key)
                                        .deleteOnTermination(false)))
                        .tagSpecifications(t -> t.resourceType("instance")
                                .tags(
                                        g -> g.key("Name").value("web-2"),
                                        g -> g.key("team").value("checkout"))))
                .instances()
                .getFirst();
        var data = EmulatedVolumes.blocks(5, 1, 9);
        String snapshot = volumes.seed(2, data);
        String dataVolume = ec2.createVolume(b -> b.snapshotId(snapshot)
                        .availabilityZone(subnet.availabilityZone())
                        .size(2)
                        // Not io1/io2: the emulator's RunInstances cannot create them (it drops the IOPS).
                        .volumeType("gp2")
                        .encrypted(true)
                        .kmsKeyId(key))
                .volumeId();
        ec2.attachVolume(
                b -> b.volumeId(dataVolume).instanceId(launched.instanceId()).device("/dev/sdf"));

        var backup = awaitEnd(json(post(
                        "/v1/backups",
                        "{\"assetId\":\"" + launched.instanceId() + "\",\"vaultId\":\"" + vault.vaultId() + "\"}",
                        Scopes.BACKUPS_WRITE))
                .get("jobId")
                .asString());
        assertThat(backup.state()).as(String.valueOf(backup.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        var original = describe(launched.instanceId());
        Map<String, Volume> byDevice = new HashMap<>();
        original.blockDeviceMappings()
                .forEach(m -> byDevice.put(m.deviceName(), volume(m.ebs().volumeId())));
        Map<Integer, String> addresses = new HashMap<>();
        original.networkInterfaces().forEach(n -> addresses.put(n.attachment().deviceIndex(), n.privateIpAddress()));
        assertThat(addresses).containsEntry(0, first).containsEntry(1, second);
        // The second interface goes away after the backup: its address is free again, the first one's is not.
        var secondInterface = original.networkInterfaces().stream()
                .filter(n -> n.attachment().deviceIndex() == 1)
                .findFirst()
                .orElseThrow();
        ec2.detachNetworkInterface(
                b -> b.attachmentId(secondInterface.attachment().attachmentId()));
        ec2.deleteNetworkInterface(b -> b.networkInterfaceId(secondInterface.networkInterfaceId()));
        source = new Source(
                original,
                backup.result().recoveryPointId(),
                subnet.subnetId(),
                subnet.vpcId(),
                group,
                key,
                profileArn,
                addresses,
                byDevice);
    }

    @AfterAll
    static void close() {
        volumes.close();
        ec2.close();
        iam.close();
        kms.close();
        source = null;
        vault = null;
    }

    @Test
    @Order(1)
    void theBackupRecordsWhatTheRestoreNeeds() {
        var facts = points.find(source.pointId()).orElseThrow().instance();
        assertThat(facts.iamInstanceProfileArn()).isEqualTo(source.profileArn());
        assertThat(new String(Base64.getDecoder().decode(facts.userData()), StandardCharsets.UTF_8))
                .isEqualTo(USER_DATA);
        assertThat(facts.keyName()).isEqualTo("ops");
        assertThat(facts.privateIpAddress()).isEqualTo(source.addressByIndex().get(0));
        assertThat(facts.metadataOptions().httpTokens()).isEqualTo("required");
        assertThat(facts.metadataOptions().httpPutResponseHopLimit()).isEqualTo(3);
        // The emulator's image ami-12c6146b is a UEFI one; the instance does not say, its image does.
        assertThat(facts.bootMode()).isEqualTo("uefi");
        assertThat(facts.networkInterfaces())
                .extracting(n -> n.deviceIndex() + " " + n.subnetId() + " " + n.securityGroupIds())
                .containsExactly(
                        "0 " + source.subnetId() + " [" + source.groupId() + "]",
                        "1 " + source.subnetId() + " [" + source.groupId() + "]");
        assertThat(facts.volumes())
                .extracting(v -> v.deviceName() + " " + v.volume().volumeType() + " "
                        + v.volume().encrypted() + " " + v.deleteOnTermination())
                .containsExactly("/dev/sda1 gp3 true false", "/dev/sdf gp2 true false");
    }

    @Test
    @Order(2)
    void everyRecordedAttributeComesBackOnTheRestoredInstanceAndTheImageIsRemoved() throws Exception {
        var job = restore("{\"type\":\"ec2-instance\"}");
        assertThat(job.state()).as(String.valueOf(job.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.result().snapshotId()).as("no snapshot is kept").isNull();
        var restored = describe(job.result().instanceId());

        assertThat(restored.instanceTypeAsString()).isEqualTo("t3.small");
        assertThat(restored.keyName()).isEqualTo("ops");
        assertThat(restored.iamInstanceProfile().arn()).isEqualTo(source.profileArn());
        assertThat(userData(restored.instanceId())).isEqualTo(USER_DATA);
        assertThat(restored.placement().availabilityZone())
                .isEqualTo(source.instance().placement().availabilityZone());
        assertThat(restored.subnetId()).isEqualTo(source.subnetId());
        assertThat(restored.metadataOptions().httpTokensAsString()).isEqualTo("required");
        assertThat(restored.metadataOptions().httpPutResponseHopLimit()).isEqualTo(3);
        assertThat(restored.metadataOptions().httpEndpointAsString()).isEqualTo("enabled");
        assertThat(restored.metadataOptions().instanceMetadataTagsAsString()).isEqualTo("enabled");
        assertThat(restored.tags())
                .extracting(t -> t.key() + "=" + t.value())
                .contains("Name=web-2", "team=checkout", "cloudconnector:restored-from=" + source.pointId());

        var interfaces = byIndex(restored);
        assertThat(interfaces).extracting(n -> n.attachment().deviceIndex()).containsExactly(0, 1);
        assertThat(interfaces).allSatisfy(n -> {
            assertThat(n.subnetId()).isEqualTo(source.subnetId());
            assertThat(n.groups()).extracting(g -> g.groupId()).containsExactly(source.groupId());
        });
        // The original still holds its first address: EC2 assigns another. The second one is free: it comes back.
        assertThat(interfaces.get(0).privateIpAddress())
                .isNotEqualTo(source.addressByIndex().get(0));
        assertThat(interfaces.get(1).privateIpAddress())
                .isEqualTo(source.addressByIndex().get(1));

        Map<String, Boolean> deleteOnTermination = new HashMap<>();
        restored.blockDeviceMappings()
                .forEach(m -> deleteOnTermination.put(m.deviceName(), m.ebs().deleteOnTermination()));
        assertThat(deleteOnTermination)
                .containsExactlyInAnyOrderEntriesOf(Map.of("/dev/sda1", false, "/dev/sdf", false));
        for (var mapping : restored.blockDeviceMappings()) {
            var volume = volume(mapping.ebs().volumeId());
            var original = source.volumeByDevice().get(mapping.deviceName());
            assertThat(volume.volumeTypeAsString()).as(mapping.deviceName()).isEqualTo(original.volumeTypeAsString());
            assertThat(volume.size()).as(mapping.deviceName()).isEqualTo(original.size());
            assertThat(volume.encrypted()).as(mapping.deviceName()).isTrue();
            assertThat(volume.kmsKeyId()).as(mapping.deviceName()).isEqualTo(source.keyArn());
        }

        assertThat(imagesOf(job)).as("the temporary image is deregistered").isEmpty();
        assertThat(snapshotsOf(job)).as("its snapshots are deleted").isEmpty();
    }

    @Test
    void overridesApplyAndKeepImageKeepsTheImageAndItsSnapshots() throws Exception {
        String otherGroup = ec2.createSecurityGroup(
                        b -> b.groupName("restored").description("restored").vpcId(source.vpcId()))
                .groupId();
        String otherKey =
                kms.createKey(b -> b.description("restores")).keyMetadata().arn();
        var job = restore("{\"type\":\"ec2-instance\",\"instanceType\":\"m5.large\",\"securityGroupIds\":[\""
                + otherGroup + "\"],\"kmsKeyId\":\"" + otherKey + "\",\"keepImage\":true}");
        assertThat(job.state()).as(String.valueOf(job.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        var restored = describe(job.result().instanceId());
        assertThat(restored.instanceTypeAsString()).isEqualTo("m5.large");
        assertThat(byIndex(restored))
                .hasSize(2)
                .allSatisfy(
                        n -> assertThat(n.groups()).extracting(g -> g.groupId()).containsExactly(otherGroup));
        for (var mapping : restored.blockDeviceMappings()) {
            var volume = volume(mapping.ebs().volumeId());
            assertThat(volume.encrypted()).isTrue();
            assertThat(volume.kmsKeyId()).as(mapping.deviceName()).isEqualTo(otherKey);
        }

        var images = imagesOf(job);
        assertThat(images).hasSize(1);
        var image = images.getFirst();
        assertThat(image.bootModeAsString()).isEqualTo("uefi");
        assertThat(image.rootDeviceName()).isEqualTo("/dev/sda1");
        // The emulator's image keeps only its root device's mapping; the launch names every volume anyway.
        assertThat(image.blockDeviceMappings()).extracting(m -> m.deviceName()).contains("/dev/sda1");
        assertThat(snapshotsOf(job)).hasSize(2).contains(job.result().snapshotId());
    }

    @Test
    void aRestoreIntoAnotherZoneLandsInASubnetOfTheInstancesVpcThere() throws Exception {
        String zone = AwsEmulator.shared().region() + "b";
        var job = restore("{\"type\":\"ec2-instance\",\"availabilityZone\":\"" + zone + "\"}");
        assertThat(job.state()).as(String.valueOf(job.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        var restored = describe(job.result().instanceId());
        var subnet = ec2.describeSubnets(b -> b.subnetIds(restored.subnetId()))
                .subnets()
                .getFirst();
        assertThat(restored.placement().availabilityZone()).isEqualTo(zone);
        assertThat(subnet.availabilityZone()).isEqualTo(zone);
        assertThat(subnet.vpcId()).isEqualTo(source.vpcId());
        assertThat(byIndex(restored)).hasSize(2).allSatisfy(n -> {
            assertThat(n.subnetId()).isEqualTo(subnet.subnetId());
            assertThat(n.groups()).extracting(g -> g.groupId()).containsExactly(source.groupId());
        });
        for (var mapping : restored.blockDeviceMappings()) {
            assertThat(volume(mapping.ebs().volumeId()).availabilityZone()).isEqualTo(zone);
        }
        assertThat(imagesOf(job)).isEmpty();
    }

    @Test
    void aSingleInterfaceInstanceComesBackWithoutAPublicAddressWhenAskedTo() throws Exception {
        var launched = ec2.runInstances(b -> b.imageId("ami-12c6146b")
                        .instanceType("t3.micro")
                        .minCount(1)
                        .maxCount(1)
                        .networkInterfaces(n ->
                                n.deviceIndex(0).subnetId(source.subnetId()).associatePublicIpAddress(true)))
                .instances()
                .getFirst();
        assertThat(describe(launched.instanceId()).publicIpAddress()).isNotNull();
        String dataVolume = volumes.volumeFrom(volumes.seed(1, EmulatedVolumes.blocks(8, 0)), 1);
        ec2.attachVolume(
                b -> b.volumeId(dataVolume).instanceId(launched.instanceId()).device("/dev/sdf"));
        var backup = awaitEnd(json(post(
                        "/v1/backups",
                        "{\"assetId\":\"" + launched.instanceId() + "\",\"vaultId\":\"" + vault.vaultId() + "\"}",
                        Scopes.BACKUPS_WRITE))
                .get("jobId")
                .asString());
        assertThat(backup.state()).as(String.valueOf(backup.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        String point = backup.result().recoveryPointId();

        var asBefore = restore(point, "{\"type\":\"ec2-instance\"}");
        assertThat(asBefore.state()).as(String.valueOf(asBefore.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertThat(describe(asBefore.result().instanceId()).publicIpAddress()).isNotNull();

        var without = restore(point, "{\"type\":\"ec2-instance\",\"noPublicIp\":true}");
        assertThat(without.state()).as(String.valueOf(without.errorMessage())).isEqualTo(JobState.SUCCEEDED);
        assertThat(describe(without.result().instanceId()).publicIpAddress()).isNull();
    }

    @Test
    void aLaunchThatFailsLeavesNoImageSnapshotOrInstanceBehind() throws Exception {
        // The instance profile goes away: the launch fails.
        iam.removeRoleFromInstanceProfile(b -> b.instanceProfileName(PROFILE).roleName(PROFILE));
        iam.deleteInstanceProfile(b -> b.instanceProfileName(PROFILE));
        try {
            var job = restore("{\"type\":\"ec2-instance\"}");
            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(imagesOf(job)).isEmpty();
            assertThat(snapshotsOf(job)).isEmpty();
            var instances = ec2
                    .describeInstances(
                            b -> b.filters(f -> f.name("tag:cloudconnector:job").values(job.id())))
                    .reservations()
                    .stream()
                    .flatMap(r -> r.instances().stream())
                    .filter(i -> !"terminated".equals(i.state().nameAsString()))
                    .toList();
            assertThat(instances).isEmpty();
        } finally {
            iam.createInstanceProfile(b -> b.instanceProfileName(PROFILE));
            iam.addRoleToInstanceProfile(b -> b.instanceProfileName(PROFILE).roleName(PROFILE));
        }
    }

    @Test
    void unknownIdsAre404AndTargetsThatDoNotFitAre400() throws Exception {
        String point = source.pointId();
        assertThat(restoreRequest(point, "{\"type\":\"ec2-instance\",\"subnetId\":\"subnet-0123456789abcdef0\"}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(restoreRequest(point, "{\"type\":\"ec2-instance\",\"securityGroupIds\":[\"sg-0123456789abcdef0\"]}")
                        .statusCode())
                .isEqualTo(404);
        // A security group of another VPC cannot go with the instance's interfaces.
        String otherVpc = ec2.createVpc(b -> b.cidrBlock("10.7.0.0/16")).vpc().vpcId();
        String foreignGroup = ec2.createSecurityGroup(
                        b -> b.groupName("elsewhere").description("elsewhere").vpcId(otherVpc))
                .groupId();
        var foreign =
                restoreRequest(point, "{\"type\":\"ec2-instance\",\"securityGroupIds\":[\"" + foreignGroup + "\"]}");
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(fields(foreign)).containsExactly("target.securityGroupIds");
        // A subnet in one zone and another zone asked for.
        var mismatch = restoreRequest(
                point,
                "{\"type\":\"ec2-instance\",\"subnetId\":\"" + source.subnetId() + "\",\"availabilityZone\":\""
                        + AwsEmulator.shared().region() + "b\"}");
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(fields(mismatch)).containsExactly("target.availabilityZone");
        var malformed = restoreRequest(
                point, "{\"type\":\"ec2-instance\",\"securityGroupIds\":[\"web\"],\"kmsKeyId\":\"a key\"}");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(fields(malformed)).containsExactlyInAnyOrder("target.securityGroupIds[0]", "target.kmsKeyId");
        var unknownZone = restoreRequest(point, "{\"type\":\"ec2-instance\",\"availabilityZone\":\"mars-1a\"}");
        assertThat(unknownZone.statusCode()).isEqualTo(400);
        assertThat(fields(unknownZone)).contains("target.availabilityZone");
    }

    private static String createProfile() {
        String arn = iam.createRole(b -> b.roleName(PROFILE)
                        .assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"))
                .role()
                .arn();
        assertThat(arn).isNotBlank();
        String profile = iam.createInstanceProfile(b -> b.instanceProfileName(PROFILE))
                .instanceProfile()
                .arn();
        iam.addRoleToInstanceProfile(b -> b.instanceProfileName(PROFILE).roleName(PROFILE));
        return profile;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String userData(String instanceId) {
        var value = ec2.describeInstanceAttribute(
                        b -> b.instanceId(instanceId).attribute(InstanceAttributeName.USER_DATA))
                .userData()
                .value();
        return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }

    private static Instance describe(String instanceId) {
        return ec2.describeInstances(b -> b.instanceIds(instanceId))
                .reservations()
                .getFirst()
                .instances()
                .getFirst();
    }

    private static Volume volume(String volumeId) {
        return ec2.describeVolumes(b -> b.volumeIds(volumeId)).volumes().getFirst();
    }

    private static List<InstanceNetworkInterface> byIndex(Instance instance) {
        return instance.networkInterfaces().stream()
                .sorted(Comparator.comparingInt(n -> n.attachment().deviceIndex()))
                .toList();
    }

    private static List<software.amazon.awssdk.services.ec2.model.Image> imagesOf(JobRecord job) {
        return ec2.describeImages(b ->
                        b.owners("self").filters(f -> f.name("name").values("cloudconnector-restore-" + job.id())))
                .images();
    }

    private static List<String> snapshotsOf(JobRecord job) {
        return ec2
                .describeSnapshots(b -> b.ownerIds("self")
                        .filters(f -> f.name("tag:cloudconnector:job").values(job.id())))
                .snapshots()
                .stream()
                .map(s -> s.snapshotId())
                .toList();
    }

    private JobRecord restore(String target) throws Exception {
        return restore(source.pointId(), target);
    }

    private JobRecord restore(String point, String target) throws Exception {
        var response = restoreRequest(point, target);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return awaitEnd(json(response).get("jobId").asString());
    }

    private HttpResponse<String> restoreRequest(String point, String target) throws Exception {
        return post(
                "/v1/restores",
                "{\"recoveryPointId\":\"" + point + "\",\"target\":" + target + "}",
                Scopes.RESTORES_WRITE);
    }

    private JobRecord awaitEnd(String jobId) {
        return await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.find(jobId).orElseThrow(), job -> job.state().finished());
    }

    private HttpResponse<String> post(String path, String body, String scope) throws Exception {
        return send("POST", path, body, bearerWith(scope));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return EventCodec.standardMapper().readTree(response.body());
    }

    private static List<String> fields(HttpResponse<String> response) {
        return json(response)
                .path("errors")
                .valueStream()
                .map(e -> e.path("field").asString())
                .toList();
    }
}
