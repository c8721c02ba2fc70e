package io.cloudconnector.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobFailed;
import io.cloudconnector.common.event.JobStarted;
import io.cloudconnector.common.event.JobSucceeded;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.inventory.InventoryIntegrationTests;
import io.cloudconnector.inventory.asset.AssetWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The 10k-asset discovery figure for docs/performance.md, not a test of speed: it reports the time and
 * asserts only that every asset was discovered. Off by default (it takes minutes to arrange); run with
 *
 * <pre>./mvnw -B -pl inventory-service verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=DiscoveryBenchmarkIT -Dinventory.benchmark=true</pre>
 *
 * Sizes: {@code -Dinventory.benchmark.instances=2500} (each with its root volume, in reservations of 250)
 * and {@code -Dinventory.benchmark.volumes=5000} more volumes. The service runs with the production page
 * size and concurrency; the figures go to the log and {@code target/inventory-discovery-benchmark.txt}.
 */
@EnabledIfSystemProperty(named = "inventory.benchmark", matches = "true")
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // moto pages DescribeInstances by reservation and takes ~8 ms per instance to render a page, so one
        // page of 2,500 instances outlasts the production per-attempt timeout (10 s); AWS answers in seconds.
        properties = {
            "inventory.page-size=500",
            "inventory.concurrency=8",
            "connector.aws.call-attempt-timeout=120s",
            "connector.aws.call-timeout=300s"
        })
class DiscoveryBenchmarkIT extends InventoryIntegrationTests {

    private static final int RESERVATION = 250;

    @Autowired
    AssetWriter writer;

    @Autowired
    Resync resync;

    @Test
    void discoversTenThousandAssets() throws Exception {
        int instances = Integer.getInteger("inventory.benchmark.instances", 2_500);
        int volumes = Integer.getInteger("inventory.benchmark.volumes", 5_000);
        Instant arranging = Instant.now();
        arrange(instances, volumes);
        Duration arranged = Duration.between(arranging, Instant.now());
        int expected = 2 * instances + volumes;

        Instant posted = Instant.now();
        var accepted = post("/v1/assets:discover", null, null, Scopes.ASSETS_WRITE);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String jobId = json(accepted).get("jobId").asString();
        var job = awaitJob(jobId);
        Duration wall = Duration.between(posted, Instant.now());
        Duration started = Duration.between(job.started().time(), job.finished().time());
        assertThat(job.finished().payload()).isInstanceOf(JobSucceeded.class);
        assertThat(writer.snapshot().records()).hasSize(expected);

        Instant resyncing = Instant.now();
        var resynced = resync.runNow();
        Duration unchanged = Duration.between(resyncing, Instant.now());
        assertThat(resynced.created() + resynced.updated() + resynced.deleted()).isZero();

        String report = String.format(
                """
                Inventory discovery benchmark (moto %s, %d cores)
                assets: %d (%d instances in reservations of %d, their %d root volumes, %d more volumes); arranged in %s
                first discovery (all created): job started -> succeeded %s; POST -> JobSucceeded seen %s
                resync with nothing changed: %s
                """,
                "5.2.x",
                Runtime.getRuntime().availableProcessors(),
                expected,
                instances,
                RESERVATION,
                instances,
                volumes,
                arranged,
                started,
                wall,
                unchanged);
        System.out.println(report);
        Files.writeString(Path.of("target", "inventory-discovery-benchmark.txt"), report);
    }

    private record Job(EventEnvelope started, EventEnvelope finished) {}

    private static Job awaitJob(String jobId) {
        String inbox = outputs.get("JobstatusInboxQueueUrl");
        List<EventEnvelope> received = new ArrayList<>();
        await().atMost(Duration.ofMinutes(20))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    drain(inbox).stream()
                            .filter(e -> jobId.equals(e.correlationId()))
                            .forEach(received::add);
                    return received.stream()
                            .anyMatch(e -> e.payload() instanceof JobSucceeded || e.payload() instanceof JobFailed);
                });
        var started = received.stream()
                .filter(e -> e.payload() instanceof JobStarted)
                .findFirst()
                .orElseThrow();
        var finished = received.stream()
                .filter(e -> e.payload() instanceof JobSucceeded || e.payload() instanceof JobFailed)
                .findFirst()
                .orElseThrow();
        return new Job(started, finished);
    }

    private static void arrange(int instances, int volumes) throws Exception {
        for (int launched = 0; launched < instances; launched += RESERVATION) {
            runInstances(Math.min(RESERVATION, instances - launched), Map.of("bench", "yes"));
        }
        List<Future<?>> created = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory())) {
            for (int i = 0; i < volumes; i++) {
                int size = 1 + i % 100;
                created.add(pool.submit(() -> createVolume(size, Map.of("bench", "yes"))));
            }
        }
        for (var volume : created) {
            volume.get();
        }
    }
}
