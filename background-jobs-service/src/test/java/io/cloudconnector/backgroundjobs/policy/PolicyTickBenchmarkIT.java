package io.cloudconnector.backgroundjobs.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.backgroundjobs.TestVaults;
import io.cloudconnector.backgroundjobs.job.JobRunner;
import io.cloudconnector.common.event.AssetChange;
import io.cloudconnector.common.event.AssetChanged;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * How long one tick takes to select and admit 1,000 assets (docs/performance.md, "Protection policies"). Off by
 * default: {@code -Dit.test=PolicyTickBenchmarkIT -Dpolicies.benchmark=true}. The job runner is a mock, so the
 * figure is the tick alone: selection from the projection, and per asset the admission's EC2 lookup, the job and
 * idempotency write, {@code JobCreated} and the launch. Prints the figure; asserts only that every asset got a job.
 */
@WithAwsEmulator
@EnabledIfSystemProperty(named = "policies.benchmark", matches = "true")
@SpringBootTest(
        properties = {
            "connector.jobs.mode=local",
            "connector.jobs.reconcile-interval=1h",
            "connector.policies.scheduler=local",
            "connector.policies.local-check-interval=1h",
            "spring.main.web-application-type=servlet"
        },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PolicyTickBenchmarkIT extends io.cloudconnector.common.testing.SecuredWebTests {

    static final int ASSETS = Integer.getInteger("policies.benchmark.assets", 1000);

    @BeforeAll
    static void stack(AwsEmulator emulator) {
        ConnectorStack.deploy(emulator);
    }

    @DynamicPropertySource
    static void timeouts(DynamicPropertyRegistry registry) {
        registry.add("connector.aws.call-attempt-timeout", () -> "120s");
        registry.add("connector.aws.call-timeout", () -> "300s");
    }

    @Autowired
    InboxDispatcher inbox;

    @Autowired
    PolicyTicks ticks;

    @Autowired
    PolicyService policies;

    @MockitoBean
    JobRunner runner;

    @Test
    void oneTickSelectsAndAdmitsAThousandAssets() {
        var emulator = AwsEmulator.shared();
        var vault = TestVaults.create(emulator, inbox, "bench");
        try (var ec2 = ConnectorStack.clients(emulator).sync(Ec2Client.builder())) {
            long setup = System.nanoTime();
            IntStream.range(0, ASSETS).forEach(i -> {
                String volume = ec2.createVolume(
                                b -> b.availabilityZone(emulator.region() + "a").size(1))
                        .volumeId();
                String assetId = "aws:ebs:" + AwsEmulator.ACCOUNT_ID + ":" + emulator.region() + ":" + volume;
                inbox.dispatch(EventEnvelope.wrap(
                        new AssetChanged(
                                assetId,
                                AssetChange.CREATED,
                                null,
                                Map.of("type", "ebs", "tags", Map.of("backup", "bench"))),
                        TestTokens.CONNECTOR_ID,
                        null,
                        Clock.systemUTC()));
            });
            System.out.printf(
                    "Set-up: %d volumes and their AssetChanged in %d s%n",
                    ASSETS, (System.nanoTime() - setup) / 1_000_000_000);
        }
        var policy = policies.create(
                        new PolicyRequest(
                                "bench",
                                vault.vaultId(),
                                new PolicyRequest.Schedule("rate(1 hour)", null, null),
                                new PolicyRequest.Selection(null, Map.of("backup", "bench"), List.of("ebs")),
                                null,
                                null,
                                null,
                                null),
                        null)
                .getBody();
        assertThat(policy).isNotNull();

        long selectStart = System.nanoTime();
        int selected = ticks.select(policy).size();
        long selectMillis = (System.nanoTime() - selectStart) / 1_000_000;
        long tickStart = System.nanoTime();
        ticks.tick(policy.id(), Instant.now());
        long tickMillis = (System.nanoTime() - tickStart) / 1_000_000;

        System.out.printf(
                "One tick: %d assets selected in %d ms; selected and admitted (%d jobs) in %.1f s (%.1f ms per asset)%n",
                selected, selectMillis, ASSETS, tickMillis / 1000.0, (double) tickMillis / ASSETS);
        assertThat(selected).isEqualTo(ASSETS);
    }
}
