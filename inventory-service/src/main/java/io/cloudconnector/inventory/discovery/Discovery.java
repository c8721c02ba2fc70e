package io.cloudconnector.inventory.discovery;

import io.cloudconnector.common.event.AssetChange;
import io.cloudconnector.inventory.asset.AssetRecord;
import io.cloudconnector.inventory.asset.AssetType;
import io.cloudconnector.inventory.asset.AssetWriter;
import io.cloudconnector.inventory.asset.ChangeOutbox;
import io.cloudconnector.inventory.asset.Observation;
import io.cloudconnector.inventory.asset.Observation.Vanished;
import io.cloudconnector.inventory.asset.PendingChange;
import io.cloudconnector.inventory.config.InventoryProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A full sweep: describe every instance and volume of the region, apply each as an observation, and mark
 * the discovered assets the sweep did not return as vanished; on the way, relay changes left unpublished. It is safe to run on several replicas at once
 * (every write is a conditional one) and to repeat (an unchanged asset only gets its last-seen time). The
 * whole region is described before anything is written: a sweep that fails half-way must not take the
 * assets it did not reach for deleted.
 */
@Component
class Discovery {

    /** The result of a sweep, in asset counts. */
    record Result(int observed, int created, int updated, int deleted) {}

    /** Told how far a sweep has come; called from several threads. */
    interface Progress {
        void advanced(long done, long total);
    }

    /** EventBridge takes ten entries per call, so assets are written and announced ten at a time. */
    private static final int CHUNK = 10;

    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    private final Ec2Assets ec2;
    private final AssetWriter writer;
    private final ChangeOutbox outbox;
    private final int concurrency;
    private final Duration describeLag;
    private final Clock clock;

    Discovery(Ec2Assets ec2, AssetWriter writer, ChangeOutbox outbox, InventoryProperties properties, Clock clock) {
        this.ec2 = ec2;
        this.writer = writer;
        this.outbox = outbox;
        this.concurrency = properties.concurrency();
        this.describeLag = properties.describeLag();
        this.clock = clock;
    }

    /** Sweeps the given types; {@code correlationId} (the job id, if any) goes on the changes it announces. */
    Result sweep(Set<AssetType> types, @Nullable String correlationId, Progress progress) {
        Instant startedAt = clock.instant();
        var snapshot = writer.snapshot();
        // Whatever a crash or a bus outage left unannounced goes out now: every sweep reads every asset anyway.
        outbox.relay(snapshot.unpublished());
        Map<String, AssetRecord> known = snapshot.records();
        List<Observation> observations = new ArrayList<>();
        if (types.contains(AssetType.EC2)) {
            observations.addAll(ec2.instances());
        }
        if (types.contains(AssetType.EBS)) {
            observations.addAll(ec2.volumes());
        }
        Instant describedAt = clock.instant();
        Set<String> seen = new HashSet<>();
        observations.forEach(o -> seen.add(o.assetId()));
        // Anything seen after the first describe call began (minus the lag) outranks this silence.
        Instant vanishedAt = startedAt.minus(describeLag);
        known.values().stream()
                .filter(r -> types.contains(r.facts().type()) && !r.isDeleted() && !seen.contains(r.id()))
                .forEach(r -> observations.add(new Vanished(r.id(), vanishedAt)));

        Map<AssetChange, AtomicLong> changes = new EnumMap<>(AssetChange.class);
        for (var change : AssetChange.values()) {
            changes.put(change, new AtomicLong());
        }
        long total = observations.size();
        var done = new AtomicLong();
        progress.advanced(0, total);
        List<Future<?>> chunks = new ArrayList<>();
        try (var executor = Executors.newFixedThreadPool(
                concurrency, Thread.ofVirtual().name("discovery-", 0).factory())) {
            for (int from = 0; from < observations.size(); from += CHUNK) {
                var chunk = observations.subList(from, Math.min(from + CHUNK, observations.size()));
                chunks.add(executor.submit(() -> {
                    List<PendingChange> committed = new ArrayList<>();
                    for (var observation : chunk) {
                        writer.applyOver(known.get(observation.assetId()), observation, correlationId)
                                .ifPresent(committed::add);
                    }
                    outbox.publish(committed);
                    committed.forEach(c -> java.util.Objects.requireNonNull(
                                    changes.get(c.event().change()))
                            .incrementAndGet());
                    progress.advanced(done.addAndGet(chunk.size()), total);
                }));
            }
        }
        for (var chunk : chunks) {
            try {
                chunk.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while discovering", e);
            }
        }
        var result = new Result(
                seen.size(),
                count(changes, AssetChange.CREATED),
                count(changes, AssetChange.UPDATED),
                count(changes, AssetChange.DELETED));
        log.info(
                "Discovered {} {} assets in {} (describe {}): {} created, {} updated, {} deleted",
                result.observed(),
                types,
                Duration.between(startedAt, clock.instant()),
                Duration.between(startedAt, describedAt),
                result.created(),
                result.updated(),
                result.deleted());
        return result;
    }

    private static int count(Map<AssetChange, AtomicLong> changes, AssetChange change) {
        return (int) java.util.Objects.requireNonNull(changes.get(change)).get();
    }
}
