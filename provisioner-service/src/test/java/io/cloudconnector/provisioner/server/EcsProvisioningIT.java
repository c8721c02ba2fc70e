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
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * ScaleZ servers as ECS tasks in the emulator: what RunTask starts (checked on the emulator's tasks and on the
 * request as sent, through {@link EcsCapacityProviderProxy} — moto places no task for a capacity provider
 * strategy), idle shutdown, lease takeover between two replicas, the on-demand fallback when the proxy says Fargate
 * Spot has no capacity, a spot interruption injected into the inbox queue, and the API.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "provisioner.reconcile-enabled=false")
class EcsProvisioningIT extends ProvisionerIntegrationTests {

    private static EcsCapacityProviderProxy proxy;

    /** The service's ECS client goes through the proxy; everything else talks to the emulator directly. */
    @TestConfiguration
    static class ProxiedEcs {
        @Bean(destroyMethod = "close")
        @Primary
        EcsClient proxiedEcsClient() {
            return EcsClient.builder()
                    .endpointOverride(proxy().endpoint())
                    .region(Region.of(AwsEmulator.REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .overrideConfiguration(
                            o -> o.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofSeconds(30)))
                    .build();
        }
    }

    private static synchronized EcsCapacityProviderProxy proxy() {
        if (proxy == null) {
            try {
                proxy = new EcsCapacityProviderProxy(AwsEmulator.shared().endpoint());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return proxy;
    }

    private final MutableClock clock = new MutableClock(Instant.now());

    /**
     * The emulator's ECS tasks move one state on at every describe (RUNNING, DEACTIVATING, ... STOPPED) unless told
     * otherwise; real tasks run until stopped.
     */
    @BeforeAll
    static void tasksRunUntilStopped(AwsEmulator emulator) throws Exception {
        var response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(emulator.endpoint().resolve("/moto-api/state-manager/set-transition"))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"model_name\":\"ecs::task\",\"transition\":"
                                                + "{\"progression\":\"manual\",\"times\":1000000}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /**
     * A vault whose server task definition the emulator can run (see {@link EcsCapacityProviderProxy}); in bridge
     * mode, because moto fails (500, no private_dns_name) to create the network interface of an awsvpc task.
     */
    private TestVault runnableVault() {
        var vault = vault();
        var original = vault.outputs().get("ScalezServerTaskDefinitionArn");
        try (var ecs = ecs()) {
            var definition =
                    ecs.describeTaskDefinition(b -> b.taskDefinition(original)).taskDefinition();
            var containers = definition.containerDefinitions().stream()
                    .map(c -> c.toBuilder()
                            .memory(Integer.parseInt(definition.memory()))
                            .build())
                    .toList();
            var copy = ecs.registerTaskDefinition(b -> b.family(definition.family() + "-moto")
                            .containerDefinitions(containers)
                            .cpu(definition.cpu())
                            .memory(definition.memory())
                            .networkMode(NetworkMode.BRIDGE)
                            .requiresCompatibilitiesWithStrings(definition.requiresCompatibilitiesAsStrings()))
                    .taskDefinition();
            proxy().alias(original, copy.taskDefinitionArn());
            runnable.put(vault.id(), copy.taskDefinitionArn());
        }
        return vault;
    }

    private final Map<String, String> runnable = new java.util.HashMap<>();

    private void pass(Provisioner replica, TestVault vault) {
        replica.reconcile(vaults.find(vault.id()).orElseThrow());
    }

    @Test
    void aQueuedBackupStartsExactlyOneServerWithTheVaultsSettingsWhichStopsWhenIdle() throws Exception {
        var vault = runnableVault();
        var job = Ids.job();
        int requestsBefore = proxy().runTasks().size();
        dispatch(
                new JobCreated(job, JobKind.EBS_BACKUP, vault.id(), "aws:ebs:123456789012:us-east-1:vol-1", null), job);
        var replica = replica("replica-a", clock);

        for (int pass = 0; pass < 3; pass++) {
            pass(replica, vault);
        }

        var tasks = tasks(vault);
        assertThat(tasks).hasSize(1);
        var task = tasks.getFirst();
        assertThat(task.clusterArn()).endsWith(":cluster/" + vault.cluster());
        assertThat(task.taskDefinitionArn()).isEqualTo(runnable.get(vault.id()));
        assertThat(task.lastStatus()).isEqualTo("RUNNING");
        var container = task.overrides().containerOverrides().getFirst();
        assertThat(container.name()).isEqualTo("scalez-server");
        assertThat(container.command())
                .containsSequence(
                        "scalez", "serve", "--repo", "s3://" + vault.outputs().get("BucketName"));
        var sent = proxy().runTasks().subList(requestsBefore, proxy().runTasks().size());
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst()
                        .path("capacityProviderStrategy")
                        .path(0)
                        .path("capacityProvider")
                        .asString())
                .isEqualTo("FARGATE_SPOT");
        assertThat(sent.getFirst().path("launchType").isMissingNode()).isTrue();
        assertThat(sent.getFirst().path("cluster").asString()).isEqualTo(vault.cluster());
        assertThat(sent.getFirst().path("taskDefinition").asString())
                .isEqualTo(vault.outputs().get("ScalezServerTaskDefinitionArn"));
        var awsvpc = sent.getFirst().path("networkConfiguration").path("awsvpcConfiguration");
        assertThat(awsvpc.path("securityGroups").path(0).asString())
                .isEqualTo(vault.outputs().get("SecurityGroupId"));
        assertThat(awsvpc.path("subnets").size())
                .isEqualTo(account.privateSubnets().size());

        // The task knows only the hash of the server's token; workers get the token from the vault's table once
        // the task has an address (the emulator gives bridge-mode tasks none).
        var server = servers.live(vault.id()).getFirst();
        assertThat(server.state()).isEqualTo(ServerState.RUNNING);
        assertThat(server.computeId()).isEqualTo(task.taskArn());
        assertThat(container.environment()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("SCALEZ_SERVER_TOKEN_SHA256");
            assertThat(e.value()).isEqualTo(Provisioner.sha256Hex(server.token()));
        });
        var listed = call("GET", "/v1/scalez-servers?vaultId=" + vault.id(), Scopes.VAULTS_READ);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        var item = json(listed).get("items").get(0);
        assertThat(item.get("id").asString()).isEqualTo(server.id());
        assertThat(item.get("state").asString()).isEqualTo("running");
        assertThat(item.get("capacityType").asString()).isEqualTo("fargate-spot");
        assertThat(listed.body()).doesNotContain(server.token());

        // The job runs and ends; the server stays for the idle time, then drains and stops.
        dispatch(new JobStarted(job, 1024L), job);
        dispatch(new JobSucceeded(job, new JobResult("rp-" + Ids.ulid(), null, null, null, null)), job);
        clock.advance(properties.idleTimeout().minusMinutes(1));
        pass(replica, vault);
        assertThat(servers.live(vault.id()))
                .singleElement()
                .extracting(ServerRecord::state)
                .isEqualTo(ServerState.RUNNING);
        clock.advance(Duration.ofMinutes(2));
        pass(replica, vault);
        assertThat(servers.live(vault.id()))
                .singleElement()
                .extracting(ServerRecord::state)
                .isEqualTo(ServerState.DRAINING);
        assertThat(registration(vault, server.id())).isEmpty();
        assertThat(tasks(vault)).singleElement().extracting(Task::lastStatus).isEqualTo("STOPPED");
        pass(replica, vault);
        assertThat(servers.live(vault.id())).isEmpty();
        assertThat(servers.all(vault.id()))
                .singleElement()
                .extracting(ServerRecord::state)
                .isEqualTo(ServerState.STOPPED);
        assertThat(lease(vault)).as("given up with nothing to run").isEmpty();
        assertThat(proxy().runTasks()).hasSize(requestsBefore + 1);
    }

    @Test
    void aReplicaTakesOverAnExpiredLeaseAndAdoptsTheServerInsteadOfStartingASecond() {
        var vault = runnableVault();
        var job = Ids.job();
        dispatch(new JobCreated(job, JobKind.EC2_BACKUP, vault.id(), "aws:ec2:123456789012:us-east-1:i-1", null), job);
        var a = replica("replica-a", clock);
        var b = replica("replica-b", clock);

        pass(a, vault);
        pass(b, vault);
        pass(a, vault);
        pass(b, vault);

        assertThat(tasks(vault)).hasSize(1);
        assertThat(lease(vault).orElseThrow().get("owner").s()).isEqualTo("replica-a");

        // replica-a dies: its lease runs out and replica-b takes over, keeping the server replica-a started.
        clock.advance(properties.leaseDuration().plusSeconds(1));
        pass(b, vault);
        assertThat(lease(vault).orElseThrow().get("owner").s()).isEqualTo("replica-b");
        assertThat(tasks(vault)).hasSize(1);
        assertThat(servers.live(vault.id()))
                .singleElement()
                .extracting(ServerRecord::state)
                .isEqualTo(ServerState.RUNNING);
        // replica-a comes back: the lease is replica-b's now, so it does nothing.
        pass(a, vault);
        assertThat(lease(vault).orElseThrow().get("owner").s()).isEqualTo("replica-b");
        assertThat(tasks(vault)).hasSize(1);

        // The lease rules on their own: held, refused, expired, taken.
        var now = clock.instant();
        assertThat(leases.acquire(vault.table(), "replica-c", now)).isFalse();
        assertThat(leases.acquire(vault.table(), "replica-b", now)).isTrue();
        assertThat(leases.acquire(
                        vault.table(),
                        "replica-c",
                        now.plus(properties.leaseDuration()).plusMillis(1)))
                .isTrue();
        assertThat(leases.acquire(
                        vault.table(),
                        "replica-b",
                        now.plus(properties.leaseDuration()).plusMillis(2)))
                .isFalse();
    }

    @Test
    void withoutSpotCapacityTheServerStartsOnDemandAndTheApiStopsIt() throws Exception {
        var vault = runnableVault();
        var job = Ids.job();
        dispatch(
                new JobCreated(job, JobKind.EBS_BACKUP, vault.id(), "aws:ebs:123456789012:us-east-1:vol-2", null), job);
        int requestsBefore = proxy().runTasks().size();
        proxy().spotExhausted(true);
        try {
            pass(replica("replica-a", clock), vault);
        } finally {
            proxy().spotExhausted(false);
        }

        var sent = proxy().runTasks().subList(requestsBefore, proxy().runTasks().size());
        assertThat(sent)
                .extracting(r -> r.path("capacityProviderStrategy")
                        .path(0)
                        .path("capacityProvider")
                        .asString())
                .containsExactly("FARGATE_SPOT", "FARGATE");
        assertThat(tasks(vault)).hasSize(1);
        var server = servers.live(vault.id()).getFirst();
        assertThat(server.capacityType()).isEqualTo(CapacityType.FARGATE);

        pass(replica("replica-a", clock), vault);
        assertThat(tasks(vault)).hasSize(1);
        var otherVault = Ids.vault();
        assertProblem(call("POST", "/v1/vaults/" + otherVault + "/scalez-servers:stop", Scopes.VAULTS_WRITE), 404);
        assertProblem(call("GET", "/v1/scalez-servers?vaultId=" + otherVault, Scopes.VAULTS_READ), 404);
        assertProblem(call("GET", "/v1/scalez-servers?vaultId=not-a-vault", Scopes.VAULTS_READ), 400);
        assertProblem(call("POST", "/v1/vaults/" + vault.id() + "/scalez-servers:stop", Scopes.VAULTS_READ), 403);
        assertThat(servers.live(vault.id()))
                .singleElement()
                .extracting(ServerRecord::state)
                .isEqualTo(ServerState.RUNNING);
        assertThat(tasks(vault)).singleElement().extracting(Task::lastStatus).isEqualTo("RUNNING");

        var stopped = call("POST", "/v1/vaults/" + vault.id() + "/scalez-servers:stop", Scopes.VAULTS_WRITE);

        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(202);
        assertThat(json(stopped).get("items").get(0).get("state").asString()).isEqualTo("draining");
        assertThat(tasks(vault)).singleElement().extracting(Task::lastStatus).isEqualTo("STOPPED");
    }

    @Test
    void aSpotInterruptionInTheInboxDrainsTheServerAndRequeuesItsRunningJobs() throws Exception {
        var vault = runnableVault();
        var running = Ids.job();
        var queued = Ids.job();
        dispatch(
                new JobCreated(running, JobKind.EBS_BACKUP, vault.id(), "aws:ebs:123456789012:us-east-1:vol-3", null),
                running);
        dispatch(new JobStarted(running, 4096L), running);
        dispatch(
                new JobCreated(queued, JobKind.EBS_BACKUP, vault.id(), "aws:ebs:123456789012:us-east-1:vol-4", null),
                queued);
        pass(replica("replica-a", clock), vault);
        var server = servers.live(vault.id()).getFirst();
        var requeues = probe("JobRequeueRequested");

        try (var sqs = clients.sync(SqsClient.builder())) {
            sqs.sendMessage(
                    b -> b.queueUrl(connector.get("ProvisionerInboxQueueUrl")).messageBody("""
                    {"version":"0","id":"%s","detail-type":"ECS Task State Change","source":"aws.ecs",
                     "account":"123456789012","time":"%s","region":"us-east-1","resources":["%s"],
                     "detail":{"taskArn":"%s","clusterArn":"%s","lastStatus":"RUNNING","desiredStatus":"STOPPED",
                               "stopCode":"SpotInterruption","stoppedReason":"Your Spot Task was interrupted."}}
                    """.formatted(
                                    java.util.UUID.randomUUID(),
                                    Instant.now(),
                                    server.computeId(),
                                    server.computeId(),
                                    tasks(vault).getFirst().clusterArn())));
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
        assertThat(after.stopReason()).isEqualTo("spot-interruption");
        assertThat(registration(vault, server.id())).isEmpty();
        assertThat(tasks(vault)).singleElement().extracting(Task::lastStatus).isEqualTo("STOPPED");

        // The jobs still need a server: the next pass starts a fresh one.
        pass(replica("replica-a", clock), vault);
        pass(replica("replica-a", clock), vault);
        assertThat(servers.live(vault.id())).singleElement().satisfies(s -> {
            assertThat(s.id()).isNotEqualTo(server.id());
            assertThat(s.state()).isEqualTo(ServerState.RUNNING);
        });
    }

    @Test
    void demandFollowsJobEventsInAnyOrderAndCountsOnlyBackups() {
        var vaultId = Ids.vault();
        var late = Ids.job();
        var twice = Ids.job();
        var restore = Ids.job();
        // A job that finished before its JobCreated arrived never becomes demand.
        dispatch(new JobSucceeded(late, new JobResult("rp-" + Ids.ulid(), null, null, null, null)), late);
        dispatch(new JobStarted(late, 1L), late);
        dispatch(new JobCreated(late, JobKind.EBS_BACKUP, vaultId, "aws:ebs:123456789012:us-east-1:vol-5", null), late);
        // A started job seen before its creation is running demand once the creation names its vault.
        dispatch(new JobStarted(twice, 1L), twice);
        dispatch(new JobCreated(twice, JobKind.EC2_BACKUP, vaultId, "aws:ec2:123456789012:us-east-1:i-5", null), twice);
        dispatch(new JobCreated(twice, JobKind.EC2_BACKUP, vaultId, "aws:ec2:123456789012:us-east-1:i-5", null), twice);
        // Restores read the repository directly: no server for them.
        dispatch(
                new JobCreated(restore, JobKind.EBS_RESTORE, vaultId, "aws:ebs:123456789012:us-east-1:vol-6", null),
                restore);

        assertThat(demand.active(vaultId))
                .containsExactly(new io.cloudconnector.provisioner.job.ActiveJob(twice, vaultId, true, false));

        dispatch(new io.cloudconnector.common.event.JobFailed(twice, "boom", "it broke"), twice);
        assertThat(demand.active(vaultId)).isEmpty();
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static List<Task> tasks(TestVault vault) {
        try (var ecs = ecs()) {
            var arns = new java.util.LinkedHashSet<String>();
            for (var status : List.of("RUNNING", "STOPPED")) {
                arns.addAll(ecs.listTasks(b -> b.cluster(vault.cluster()).desiredStatus(status))
                        .taskArns());
            }
            if (arns.isEmpty()) {
                return List.of();
            }
            return ecs.describeTasks(b -> b.cluster(vault.cluster()).tasks(arns))
                    .tasks();
        }
    }
}
