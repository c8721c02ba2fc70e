package io.cloudconnector.backgroundjobs.backup;

import io.cloudconnector.backgroundjobs.ebs.Ec2Assets;
import io.cloudconnector.backgroundjobs.job.JobStore;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.aws.AwsProperties;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes the read-only calls that {@code POST /v1/backups} makes before it answers, once when the service is ready and
 * on a thread of its own, so that the first request of a fresh service does not pay for them: the first call of each
 * AWS client (its classes, endpoint rules, signer and connection) and of each code path takes several times a warm
 * one (0.6 s against 0.1 s for a refused request on the local stack). Each call asks for something that does not
 * exist (a vault, a volume, a job), so it changes nothing and needs no permission a backup does not need; a failure is
 * logged and costs the first request only its warm-up. The request's body is read and validated once too (Jackson's
 * and Bean Validation's metadata of {@link CreateBackupRequest} are built on first use).
 */
@Component
class BackupPathWarmUp {

    private static final Logger log = LoggerFactory.getLogger(BackupPathWarmUp.class);

    /** Ids of the right shape that no vault, volume or job has. */
    static final String NO_VAULT = "vlt-00000000000000000000000000";

    static final String NO_VOLUME = "vol-00000000000000000";
    static final String NO_JOB = "j-00000000000000000000000000";

    private final VaultDirectory vaults;
    private final Ec2Assets assets;
    private final JobStore jobs;
    private final String region;
    private final ObjectProvider<JsonMapper> json;
    private final ObjectProvider<Validator> validator;
    private final boolean enabled;

    BackupPathWarmUp(
            VaultDirectory vaults,
            Ec2Assets assets,
            JobStore jobs,
            AwsProperties aws,
            ObjectProvider<JsonMapper> json,
            ObjectProvider<Validator> validator,
            @Value("${connector.jobs.warm-up-requests:true}") boolean enabled) {
        this.vaults = vaults;
        this.assets = assets;
        this.jobs = jobs;
        this.region = aws.region();
        this.json = json;
        this.validator = validator;
        this.enabled = enabled;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        if (!enabled) {
            return;
        }
        Thread.ofPlatform()
                .name("request-warm-up")
                .daemon()
                .priority(Thread.MIN_PRIORITY)
                .start(() -> {
                    long started = System.nanoTime();
                    var failed = run(steps());
                    log.info(
                            "Backup request path warmed up in {} ms{}",
                            (System.nanoTime() - started) / 1_000_000,
                            failed.isEmpty() ? "" : " (failed: " + String.join(", ", failed) + ")");
                });
    }

    /**
     * What a backup's request does before it writes, in its order: its body read and validated, then the vault, the
     * volume and the job (the idempotent store) looked up.
     */
    Map<String, Runnable> steps() {
        Map<String, Runnable> steps = new LinkedHashMap<>();
        steps.put("request body", () -> {
            var mapper = json.getIfAvailable();
            var request = mapper == null
                    ? new CreateBackupRequest(NO_VOLUME, NO_VAULT, null)
                    : mapper.readValue(
                            "{\"assetId\":\"" + NO_VOLUME + "\",\"vaultId\":\"" + NO_VAULT + "\"}",
                            CreateBackupRequest.class);
            var checker = validator.getIfAvailable();
            if (checker != null) {
                checker.validate(request);
            }
        });
        steps.put("vault directory", () -> vaults.find(NO_VAULT));
        steps.put("EC2 volumes", () -> assets.volume(region, NO_VOLUME));
        steps.put("job store", () -> jobs.find(NO_JOB));
        return steps;
    }

    /** Runs every step, each whatever the one before did; returns the names of those that failed. */
    static List<String> run(Map<String, Runnable> steps) {
        List<String> failed = new ArrayList<>();
        steps.forEach((name, step) -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.debug("Warm-up step {} failed: {}", name, e.toString());
                failed.add(name);
            }
        });
        return failed;
    }
}
