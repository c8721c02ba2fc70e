package io.cloudconnector.e2e.local;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.DefaultRetention;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The Object Lock step of {@code ./connector demo}, after the other steps: an attacker holding the connector's S3
 * permissions (the local tool's credentials, a plain S3 client, no {@code BypassGovernanceRetention}) lists every
 * object version in the demo vault's bucket and tries to delete each one, then overwrites every key with garbage
 * (with the checksum a locked bucket requires); the recovery point the backup demo restored is then restored again
 * through the connector's API, exactly as the backup demo does, and its SHA-256 compared with the image's.
 *
 * <p>A bucket without Object Lock and a default retention is not attacked (that would destroy the vault): the step
 * fails naming it instead.
 */
final class LockDemo {

    /**
     * What the attacker did: versions found, deletes refused by S3 and let through, keys overwritten, and the
     * versions the overwrites wrote (key, version id).
     */
    record Attack(int versions, int refused, int deleted, int overwritten, List<String[]> written) {}

    /** Restores a recovery point as the connector does; returns the restored volume's SHA-256, or null (noted). */
    @FunctionalInterface
    interface Restorer {
        @Nullable
        String restoredSha256(String recoveryPointId) throws Exception;
    }

    private final S3Client s3;
    private final PrintStream out;
    private final List<String> failures;
    private final Map<String, Object> report = new LinkedHashMap<>();

    /** @param s3 the attacker's client: plain S3 calls with the connector's permissions */
    LockDemo(S3Client s3, PrintStream out, List<String> failures) {
        this.s3 = s3;
        this.out = out;
        this.failures = failures;
    }

    /**
     * The step as the demo command calls it: attacks the demo vault's bucket and restores the backup demo's
     * incremental recovery point again, unless something failed before.
     */
    static Map<String, Object> afterBackup(
            URI endpoint, String region, Map<String, Object> demo, String token, PrintStream out, List<String> failures)
            throws Exception {
        if (!failures.isEmpty()
                || !(demo.get("vault") instanceof Map<?, ?> vault)
                || !(vault.get("bucketName") instanceof String bucket)
                || !(demo.get("backup") instanceof Map<?, ?> backup)
                || !(backup.get("incrementalBackup") instanceof Map<?, ?> incremental)
                || !(incremental.get("recoveryPointId") instanceof String pointId)
                || !(backup.get("sha256") instanceof Map<?, ?> sha256)
                || !(sha256.get("image") instanceof String expected)) {
            return Map.of("skipped", true);
        }
        var backupDemo = new BackupDemo(endpoint, region, out, false, failures);
        try (var s3 = BackupDemo.clients(endpoint, region).s3()) {
            return new LockDemo(s3, out, failures)
                    .run(bucket, pointId, expected, id -> backupDemo.restoredSha256(token, id));
        }
    }

    /**
     * Attacks {@code bucket}, then restores {@code recoveryPointId} with {@code restorer} and compares its SHA-256
     * with {@code expectedSha256}; returns what it saw (for {@code --json}). Failures are added, not thrown.
     */
    Map<String, Object> run(String bucket, String recoveryPointId, String expectedSha256, Restorer restorer)
            throws Exception {
        Instant started = Instant.now();
        out.printf(
                "%n10. An attacker with the connector's S3 permissions (no governance bypass) against bucket %s:%n",
                bucket);
        report.put("bucket", bucket);
        report.put("recoveryPointId", recoveryPointId);
        var retention = defaultRetention(bucket);
        if (retention == null) {
            out.printf("   bucket %s has no Object Lock default retention: not attacked   FAILED%n", bucket);
            failures.add("vault bucket " + bucket + " has no Object Lock default retention (new vaults are locked;"
                    + " an older demo vault is not): the attack was not run");
            report.put("locked", false);
            return report;
        }
        String lock = retention.modeAsString().toLowerCase(java.util.Locale.ROOT) + " "
                + (retention.days() != null ? retention.days() + " days" : retention.years() + " years");
        out.printf("   Object Lock: %s by default%n", lock);
        report.put("locked", true);
        report.put("objectLock", lock);

        var attack = attack(bucket);
        report.put("versions", attack.versions());
        report.put("deleteRefused", attack.refused());
        report.put("deleted", attack.deleted());
        report.put("keysOverwritten", attack.overwritten());
        out.printf(
                "   DeleteObject on each of %d versions: %d refused (Object Lock), %d deleted%n",
                attack.versions(), attack.refused(), attack.deleted());
        out.printf(
                "   PutObject over each of %d keys: %d overwritten with garbage%n",
                attack.overwritten(), attack.overwritten());

        out.printf("   restore %s again, after the attack:%n", recoveryPointId);
        String actual = restorer.restoredSha256(recoveryPointId);
        if (actual == null) {
            return report;
        }
        boolean match = expectedSha256.equals(actual);
        report.put("sha256", Map.of("expected", expectedSha256, "restored", actual, "match", match));
        report.put("seconds", Duration.between(started, Instant.now()).toMillis() / 1000.0);
        out.printf(
                "   attacker: %d versions, %d delete refused (Object Lock), %d keys overwritten;"
                        + " restore after attack: SHA-256 %s%n",
                attack.versions(), attack.refused(), attack.overwritten(), match ? "MATCH" : "DIFFERENT");
        if (!match) {
            failures.add("after the attack, recovery point " + recoveryPointId + " restores to SHA-256 " + actual
                    + ", not " + expectedSha256);
        }
        if (retention.mode() == software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode.GOVERNANCE) {
            int removed = undo(bucket, attack.written());
            report.put("attackerVersionsRemoved", removed);
            out.printf(
                    "   operator (governance bypass, not the connector's role): %d attacker versions removed;"
                            + " the vault's current objects are its own again%n",
                    removed);
        }
        return report;
    }

    /** The bucket's default retention, or null when it has none (no Object Lock, or no default rule). */
    @Nullable
    DefaultRetention defaultRetention(String bucket) {
        try {
            var config = s3.getObjectLockConfiguration(r -> r.bucket(bucket)).objectLockConfiguration();
            if (config == null || config.objectLockEnabled() != ObjectLockEnabled.ENABLED || config.rule() == null) {
                return null;
            }
            return config.rule().defaultRetention();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) { // ObjectLockConfigurationNotFoundError
                return null;
            }
            throw e;
        }
    }

    /**
     * The attack: every object version in {@code bucket} deleted where S3 lets it (a refusal is a 403), then every
     * key overwritten with garbage. Any other answer to a delete is noted as a failure.
     */
    Attack attack(String bucket) {
        List<String[]> versions = new ArrayList<>();
        s3.listObjectVersionsPaginator(r -> r.bucket(bucket))
                .forEach(page -> page.versions().forEach(v -> versions.add(new String[] {v.key(), v.versionId()})));
        int refused = 0;
        int deleted = 0;
        var keys = new LinkedHashSet<String>();
        for (String[] version : versions) {
            keys.add(version[0]);
            try {
                s3.deleteObject(r -> r.bucket(bucket).key(version[0]).versionId(version[1]));
                deleted++;
            } catch (S3Exception e) {
                // S3 answers 403; the emulator answers 500 for a version whose retention was set explicitly (the
                // engine extends older packs' locks). What counts is that the version is still there.
                if (e.statusCode() == 403 || stillThere(bucket, version)) {
                    refused++;
                } else {
                    failures.add("DeleteObject of " + version[0] + " version " + version[1] + " answered "
                            + e.statusCode() + " and the version is gone");
                }
            }
        }
        int overwritten = 0;
        List<String[]> written = new ArrayList<>();
        for (String key : keys) {
            var put = s3.putObject(
                    r -> r.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                    RequestBody.fromString(
                            "encrypted by ransomware, pay to get " + key + " back", StandardCharsets.UTF_8));
            written.add(new String[] {key, put.versionId()});
            overwritten++;
        }
        return new Attack(versions.size(), refused, deleted, overwritten, written);
    }

    private boolean stillThere(String bucket, String[] version) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(version[0]).versionId(version[1]));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * The clean-up after the attack, by the customer's operator (not the compromised role): the versions the
     * attacker wrote are deleted with {@code BypassGovernanceRetention} (a governance lock lets a holder of that
     * permission do so; a compliance lock would keep them until it ends), so every key's current version is the
     * engine's own again and the vault takes new backups. Returns how many were removed.
     */
    int undo(String bucket, List<String[]> written) {
        int removed = 0;
        for (String[] version : written) {
            s3.deleteObject(
                    r -> r.bucket(bucket).key(version[0]).versionId(version[1]).bypassGovernanceRetention(true));
            removed++;
        }
        return removed;
    }
}
