package io.cloudconnector.provisioner.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.JobCreated;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobRequeueRequested;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * ScaleZ servers as EC2 instances in the emulator, for a vault deployed with {@code ScalezCapacity: EC2_SPOT}: the
 * spot instance a queued backup starts (launch template, subnet, security group, tags, user data), its address as
 * the server's endpoint, idle termination, and an "EC2 Spot Instance Interruption Warning" injected into the inbox.
 * The on-demand fallback is in {@link Ec2ServerLauncherTests} (the emulator never runs out of spot capacity).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "provisioner.reconcile-enabled=false")
class Ec2ProvisioningIT extends ProvisionerIntegrationTests {

    private final MutableClock clock = new MutableClock(Instant.now());

    private TestVault ec2Vault() {
        var vault = vault(Map.of("ScalezCapacity", "EC2_SPOT", "ScalezServerInstanceType", "m5.large"));
        assertThat(vault.outputs())
                .containsEntry("ScalezCapacity", "EC2_SPOT")
                .containsKey("ScalezServerLaunchTemplateId");
        return vault;
    }

    private void pass(Provisioner replica, TestVault vault) {
        replica.reconcile(vaults.find(vault.id()).orElseThrow());
    }

    @Test
    void aQueuedBackupStartsOneSpotInstanceFromTheVaultsTemplateWhichIsTerminatedWhenIdle() throws Exception {
        var vault = ec2Vault();
        var job = Ids.job();
        dispatch(
                new JobCreated(job, JobKind.EBS_BACKUP, vault.id(), "aws:ebs:123456789012:us-east-1:vol-1", null), job);
        var replica = replica("replica-a", clock);

        for (int pass = 0; pass < 3; pass++) {
            pass(replica, vault);
        }

        var instances = instances(vault);
        assertThat(instances).hasSize(1);
        var instance = instances.getFirst();
        assertThat(instance.state().name()).isEqualTo(InstanceStateName.RUNNING);
        assertThat(instance.instanceLifecycleAsString()).isEqualTo("spot");
        assertThat(instance.instanceTypeAsString()).isEqualTo("m5.large");
        assertThat(account.privateSubnets()).contains(instance.subnetId());
        assertThat(instance.securityGroups())
                .extracting(g -> g.groupId())
                .containsExactly(vault.outputs().get("SecurityGroupId"));
        var server = servers.live(vault.id()).getFirst();
        assertThat(instance.tags())
                .extracting(Tag::key, Tag::value)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("cloudconnector:vault", vault.id()),
                        org.assertj.core.groups.Tuple.tuple("cloudconnector:scalez-server", server.id()));
        assertThat(server.state()).isEqualTo(ServerState.RUNNING);
        assertThat(server.capacityType()).isEqualTo(CapacityType.EC2_SPOT);
        assertThat(server.computeId()).isEqualTo(instance.instanceId());
        assertThat(server.endpoint())
                .isEqualTo("https://" + instance.privateIpAddress() + ":" + properties.serverPort());
        // Running, but not registered until the server has published its certificate's fingerprint: a worker
        // could not pin it.
        assertThat(server.certificateSha256()).isNull();
        assertThat(registration(vault, server.id())).isEmpty();
        var fingerprint = "ab".repeat(32);
        publishCertificate(vault, server.id(), fingerprint);
        pass(replica, vault);
        assertThat(servers.live(vault.id()).getFirst().certificateSha256()).isEqualTo(fingerprint);
        assertThat(registration(vault, server.id())).hasValueSatisfying(registration -> {
            assertThat(registration.get("certificateSha256").s()).isEqualTo(fingerprint);
            assertThat(registration.get("endpoint").s()).isEqualTo(server.endpoint());
        });

        // The instance runs the server under systemd with only the hash of its token.
        var userData = userData(instance);
        assertThat(userData)
                .startsWith("#!/bin/bash")
                .contains("SCALEZ_SERVER_TOKEN_SHA256=" + Provisioner.sha256Hex(server.token()))
                .contains("CONNECTOR_VAULT_TABLE=" + vault.table())
                .contains("cloud-connector/background-jobs-service:test scalez serve --repo s3://"
                        + vault.outputs().get("BucketName"))
                .contains("--lock-table " + vault.table())
                .contains("awslogs-group=" + vault.outputs().get("LogGroupName"))
                .contains("systemctl enable --now scalez-server.service")
                .doesNotContain(server.token());

        var listed = call("GET", "/v1/scalez-servers?vaultId=" + vault.id(), Scopes.VAULTS_READ);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(json(listed).get("items").get(0).get("capacityType").asString())
                .isEqualTo("ec2-spot");
        assertThat(json(listed).get("items").get(0).get("endpoint").asString()).isEqualTo(server.endpoint());

        dispatch(new JobStarted(job, 1024L), job);
        dispatch(new JobSucceeded(job, new JobResult("rp-" + Ids.ulid(), null, null, null, null)), job);
        clock.advance(properties.idleTimeout().plusMinutes(1));
        pass(replica, vault);
        assertThat(servers.live(vault.id()))
                .singleElement()
                .extracting(ServerRecord::state)
                .isEqualTo(ServerState.DRAINING);
        assertThat(instances(vault))
                .singleElement()
                .extracting(i -> i.state().name())
                .isIn(InstanceStateName.SHUTTING_DOWN, InstanceStateName.TERMINATED);
        pass(replica, vault);
        assertThat(servers.live(vault.id())).isEmpty();
        assertThat(servers.all(vault.id()))
                .singleElement()
                .extracting(ServerRecord::state)
                .isEqualTo(ServerState.STOPPED);
        assertThat(instances(vault)).hasSize(1);
    }

    @Test
    void anEc2SpotInterruptionWarningDrainsTheServerAndRequeuesItsRunningJobs() throws Exception {
        var vault = ec2Vault();
        var running = Ids.job();
        dispatch(
                new JobCreated(running, JobKind.EC2_BACKUP, vault.id(), "aws:ec2:123456789012:us-east-1:i-0abc", null),
                running);
        dispatch(new JobStarted(running, 4096L), running);
        pass(replica("replica-a", clock), vault);
        var server = servers.live(vault.id()).getFirst();
        publishCertificate(vault, server.id(), "cd".repeat(32));
        var requeues = probe("JobRequeueRequested");

        try (var sqs = clients.sync(SqsClient.builder())) {
            sqs.sendMessage(
                    b -> b.queueUrl(connector.get("ProvisionerInboxQueueUrl")).messageBody("""
                    {"version":"0","id":"%s","detail-type":"EC2 Spot Instance Interruption Warning","source":"aws.ec2",
                     "account":"123456789012","time":"%s","region":"us-east-1",
                     "resources":["arn:aws:ec2:us-east-1:123456789012:instance/%s"],
                     "detail":{"instance-id":"%s","instance-action":"terminate"}}
                    """.formatted(
                            java.util.UUID.randomUUID(), Instant.now(), server.computeId(), server.computeId())));
        }

        List<JobRequeueRequested> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            received.addAll(drain(requeues));
            return !received.isEmpty();
        });
        assertThat(received)
                .containsExactly(new JobRequeueRequested(running, vault.id(), server.id(), "spot-interruption"));
        var after = servers.all(vault.id()).getFirst();
        assertThat(after.state()).isEqualTo(ServerState.DRAINING);
        assertThat(registration(vault, server.id())).isEmpty();
        assertThat(publishedCertificate(vault, server.id()))
                .as("the server's published fingerprint")
                .isEmpty();
        assertThat(instances(vault))
                .singleElement()
                .extracting(i -> i.state().name())
                .isIn(InstanceStateName.SHUTTING_DOWN, InstanceStateName.TERMINATED);

        // The job still needs a server: the next passes start a fresh instance.
        pass(replica("replica-a", clock), vault);
        pass(replica("replica-a", clock), vault);
        assertThat(servers.live(vault.id())).singleElement().satisfies(s -> {
            assertThat(s.id()).isNotEqualTo(server.id());
            assertThat(s.state()).isEqualTo(ServerState.RUNNING);
        });
        assertThat(instances(vault)).hasSize(2);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static List<Instance> instances(TestVault vault) {
        try (var ec2 = clients.sync(Ec2Client.builder())) {
            return ec2
                    .describeInstances(b -> b.filters(Filter.builder()
                            .name("tag:cloudconnector:vault")
                            .values(vault.id())
                            .build()))
                    .reservations()
                    .stream()
                    .flatMap(r -> r.instances().stream())
                    .toList();
        }
    }

    private static String userData(Instance instance) {
        try (var ec2 = clients.sync(Ec2Client.builder())) {
            var encoded = ec2.describeInstanceAttribute(
                            b -> b.instanceId(instance.instanceId()).attribute(InstanceAttributeName.USER_DATA))
                    .userData()
                    .value();
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        }
    }
}
