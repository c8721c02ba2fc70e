package io.cloudconnector.provisioner.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.cloudconnector.common.testing.MutableClock;
import io.cloudconnector.provisioner.config.ProvisionerProperties;
import io.cloudconnector.provisioner.vault.Vault;
import io.cloudconnector.provisioner.vault.VaultCompute;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;

/**
 * The EC2 launcher's choices that the emulator cannot provoke: spot refused for lack of capacity (every subnet
 * tried, then on demand), errors that are not about capacity, a vault stack without EC2 outputs, public subnets,
 * and values that must never reach the user data's shell.
 */
class Ec2ServerLauncherTests {

    private static final Vault VAULT = new Vault(
            "vlt-01jd3zrx5kq0m8yv5d3m0rz2j4",
            "us-east-1",
            "conn-vlt-01",
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            false);
    private static final VaultCompute COMPUTE = compute("DISABLED");

    private final Ec2Client ec2 = mock(Ec2Client.class);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final Ec2ServerLauncher launcher = new Ec2ServerLauncher(ec2, properties(), "conn", clock);

    private static VaultCompute compute(String assignPublicIp) {
        return new VaultCompute(
                "conn-vlt-01",
                "arn:aws:ecs:task-definition/x:1",
                List.of("subnet-0a", "subnet-0b"),
                "sg-0123",
                assignPublicIp,
                "conn-vlt-01",
                VaultCompute.Capacity.EC2_SPOT,
                "lt-0123",
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/cloud-connector/background-jobs-service:1.0",
                "conn-vlt-01-logs");
    }

    private static ProvisionerProperties properties() {
        return new ProvisionerProperties(
                ProvisionerProperties.Mode.ECS,
                Duration.ofMinutes(10),
                1,
                4,
                Duration.ofSeconds(15),
                false,
                Duration.ofSeconds(60),
                7070,
                "scalez-server",
                new ProvisionerProperties.Local(List.of("./scalez"), "127.0.0.1", (Path) null));
    }

    private static Ec2Exception error(String code) {
        return (Ec2Exception) Ec2Exception.builder()
                .statusCode(500)
                .message(code)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(code)
                        .build())
                .build();
    }

    private static RunInstancesResponse started(String instanceId) {
        return RunInstancesResponse.builder()
                .instances(Instance.builder().instanceId(instanceId).build())
                .build();
    }

    @Test
    void withoutSpotCapacityInAnySubnetTheServerStartsOnDemand() {
        when(ec2.runInstances(any(RunInstancesRequest.class))).thenAnswer(call -> {
            RunInstancesRequest request = call.getArgument(0);
            if (request.instanceMarketOptions() != null) {
                throw error("InsufficientInstanceCapacity");
            }
            return started("i-0ondemand");
        });

        var launched = launcher.launch(VAULT, COMPUTE, "srv-1", "ab".repeat(32));

        assertThat(launched).isEqualTo(new ServerLauncher.Launched("i-0ondemand", CapacityType.EC2_ON_DEMAND));
        var sent = ArgumentCaptor.forClass(RunInstancesRequest.class);
        verify(ec2, times(3)).runInstances(sent.capture());
        assertThat(sent.getAllValues())
                .extracting(RunInstancesRequest::subnetId)
                .containsExactly("subnet-0a", "subnet-0b", "subnet-0a");
        assertThat(sent.getAllValues())
                .extracting(r -> r.instanceMarketOptions() == null
                        ? null
                        : r.instanceMarketOptions().marketType())
                .containsExactly(MarketType.SPOT, MarketType.SPOT, null);
        assertThat(sent.getAllValues())
                .extracting(RunInstancesRequest::clientToken)
                .containsExactly("srv-1-s0", "srv-1-s1", "srv-1-o0")
                .doesNotHaveDuplicates();
        assertThat(sent.getAllValues()).allSatisfy(r -> {
            assertThat(r.launchTemplate().launchTemplateId()).isEqualTo("lt-0123");
            assertThat(r.securityGroupIds()).containsExactly("sg-0123");
            assertThat(r.minCount()).isOne();
            assertThat(r.maxCount()).isOne();
        });
    }

    @Test
    void spotInTheSecondSubnetIsPreferredToOnDemand() {
        when(ec2.runInstances(any(RunInstancesRequest.class)))
                .thenThrow(error("InsufficientInstanceCapacity"))
                .thenReturn(started("i-0spot"));

        assertThat(launcher.launch(VAULT, COMPUTE, "srv-2", "ab".repeat(32)))
                .isEqualTo(new ServerLauncher.Launched("i-0spot", CapacityType.EC2_SPOT));
    }

    @Test
    void anErrorThatIsNotAboutCapacityIsNotRetriedElsewhere() {
        when(ec2.runInstances(any(RunInstancesRequest.class))).thenThrow(error("UnauthorizedOperation"));

        assertThatThrownBy(() -> launcher.launch(VAULT, COMPUTE, "srv-3", "ab".repeat(32)))
                .isInstanceOf(Ec2Exception.class);
        verify(ec2, times(1)).runInstances(any(RunInstancesRequest.class));
    }

    @Test
    void noCapacityAnywhereFailsTheLaunchNamingEveryRefusal() {
        when(ec2.runInstances(any(RunInstancesRequest.class))).thenThrow(error("InsufficientInstanceCapacity"));

        assertThatThrownBy(() -> launcher.launch(VAULT, COMPUTE, "srv-4", "ab".repeat(32)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spot in subnet-0b: InsufficientInstanceCapacity")
                .hasMessageContaining("on-demand in subnet-0b: InsufficientInstanceCapacity");
        verify(ec2, times(4)).runInstances(any(RunInstancesRequest.class));
    }

    @Test
    void aVaultStackWithoutALaunchTemplateIsRefusedBeforeAnyCall() {
        var fargateOnly = new VaultCompute(
                "c",
                "td",
                List.of("subnet-0a"),
                "sg-0123",
                "DISABLED",
                "t",
                VaultCompute.Capacity.EC2_SPOT,
                null,
                null,
                null);

        assertThatThrownBy(() -> launcher.launch(VAULT, fargateOnly, "srv-5", "ab".repeat(32)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no launch template");
        verify(ec2, times(0)).runInstances(any(RunInstancesRequest.class));
    }

    @Test
    void inPublicSubnetsTheInstanceGetsAPublicAddressOnItsInterface() {
        when(ec2.runInstances(any(RunInstancesRequest.class))).thenReturn(started("i-0public"));

        launcher.launch(VAULT, compute("ENABLED"), "srv-6", "ab".repeat(32));

        var sent = ArgumentCaptor.forClass(RunInstancesRequest.class);
        verify(ec2).runInstances(sent.capture());
        assertThat(sent.getValue().subnetId()).isNull();
        assertThat(sent.getValue().networkInterfaces()).singleElement().satisfies(n -> {
            assertThat(n.subnetId()).isEqualTo("subnet-0a");
            assertThat(n.associatePublicIpAddress()).isTrue();
            assertThat(n.groups()).containsExactly("sg-0123");
        });
    }

    @Test
    void theUserDataLogsIntoTheRegistryAndRefusesValuesThatCouldEscapeTheShell() {
        var script = launcher.userData(VAULT, COMPUTE, "srv-7", "ab".repeat(32));

        assertThat(script)
                .contains("docker login --username AWS --password-stdin \"${IMAGE%%/*}\"")
                .contains("sleep $((attempt * 5 + RANDOM % 5))")
                .contains("ExecStop=/usr/bin/docker stop --time 30 scalez-server")
                .contains("--listen 0.0.0.0:7070");
        var hostile = new Vault("vlt-x", "us-east-1", "bucket$(reboot)", VAULT.kmsKeyArn(), false);
        assertThatThrownBy(() -> launcher.userData(hostile, COMPUTE, "srv-7", "ab".repeat(32)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("user data");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInstanceNotYetVisibleIsStartingAndOneLongGoneIsStopped() {
        when(ec2.describeInstances(any(Consumer.class))).thenThrow(error("InvalidInstanceID.NotFound"));
        var server = new ServerRecord(
                "srv-8",
                VAULT.id(),
                ServerState.STARTING,
                CapacityType.EC2_SPOT,
                null,
                null,
                "i-0new",
                "token",
                clock.instant(),
                clock.instant(),
                null);

        assertThat(launcher.observe(COMPUTE, server).status()).isEqualTo(ServerLauncher.Status.STARTING);
        clock.advance(Duration.ofMinutes(6));
        assertThat(launcher.observe(COMPUTE, server).status()).isEqualTo(ServerLauncher.Status.STOPPED);
    }
}
