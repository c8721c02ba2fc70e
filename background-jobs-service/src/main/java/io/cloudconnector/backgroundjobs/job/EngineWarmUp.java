package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.backgroundjobs.config.JobsMode;
import io.cloudconnector.backgroundjobs.config.JobsProperties;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.hash.ChunkHasher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Compiles the engine's per-blob crypto once the service is up, on a thread of its own, so that the first job does
 * not pay for it: until the JIT has compiled the callers of the AES-GCM and SHA intrinsics, a blob is sealed or opened
 * through the interpreted GHASH, about eight times slower (the first backup of the demo's volume read its 58 MiB in
 * 5.2 s, the next ones at full speed). The engine warms up by itself before large backups and restores
 * ({@code Workers.warmUpSealing}), which pays only from 256 MiB on; a service that runs jobs and file reads for weeks
 * pays it once. Sealing and hashing only when jobs run here ({@code local} mode); opening always (file browsing).
 */
@Component
class EngineWarmUp {

    private static final Logger log = LoggerFactory.getLogger(EngineWarmUp.class);

    private final JobsProperties properties;
    private final boolean enabled;

    EngineWarmUp(JobsProperties properties, @Value("${connector.jobs.warm-up-engine:true}") boolean enabled) {
        this.properties = properties;
        this.enabled = enabled;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        if (!enabled) {
            return;
        }
        boolean sealing = properties.mode() == JobsMode.LOCAL;
        Thread.ofPlatform()
                .name("engine-warm-up")
                .daemon()
                .priority(Thread.MIN_PRIORITY)
                .start(() -> {
                    long started = System.nanoTime();
                    try {
                        Aead.warmUpOpening();
                        if (sealing) {
                            Aead.warmUpSealing();
                            ChunkHasher.warmUp();
                        }
                        log.info(
                                "Engine warmed up ({}) in {} ms",
                                sealing ? "opening, sealing, hashing" : "opening",
                                (System.nanoTime() - started) / 1_000_000);
                    } catch (RuntimeException e) {
                        log.warn("Engine warm-up failed; the first job warms it instead", e);
                    }
                });
    }
}
