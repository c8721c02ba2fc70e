package io.cloudconnector.integrity.scan;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.filesystems.Finding;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a recovery-point scan found: the verdict and why, counts, each volume and what it held, every
 * detection, the worst files, file-system findings, the engines used, and the comparison with the asset's
 * previous recovery point. Lists are bounded (see {@code truncated}) so that a report always fits an event.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScanReport(
        ScanVerdict verdict,
        List<String> reasons,
        Counts counts,
        List<VolumeSummary> volumes,
        List<Detection> detections,
        List<SuspiciousFile> worstFiles,
        List<Finding> findings,
        Engines engines,
        @Nullable Comparison comparison,
        boolean truncated) {

    /** Totals over the whole recovery point. */
    public record Counts(
            long volumes,
            long files,
            long bytesScanned,
            long filesTruncated,
            long filesUnreadable,
            long highEntropyFiles,
            long magicMismatches,
            long encryptedLooking,
            long ransomNotes,
            long ransomExtensions,
            long detections) {}

    /**
     * One volume (a partition, a whole disk, or an LVM2 logical volume {@code disk0 p1 vg0/root}): where it is
     * and what it held ({@code ext4}, {@code ntfs}, {@code xfs}, {@code swap}, {@code empty}, {@code unsupported: fat},
     * {@code unsupported: lvm-thin}, {@code encrypted-volume: luks2}, {@code lvm2 physical volume pv0 of vg0 (…)},
     * {@code unrecognised}).
     */
    public record VolumeSummary(
            String name, String scheme, String partitionType, long offset, long size, String content, long files) {}

    /** A threat an engine found in a file. */
    public record Detection(String path, String engine, String signature) {}

    /** A file with ransomware signs, worst first. */
    public record SuspiciousFile(String path, long size, double entropy, List<String> signs) {}

    /** Which engines ran, and with what; {@code signatures} says where ClamAV's databases came from and their age. */
    public record Engines(
            String clamav,
            boolean officialClamavDatabase,
            List<String> clamavDatabases,
            String yara,
            List<String> yaraRules,
            @Nullable Signatures signatures) {

        public Engines(
                String clamav,
                boolean officialClamavDatabase,
                List<String> clamavDatabases,
                String yara,
                List<String> yaraRules) {
            this(clamav, officialClamavDatabase, clamavDatabases, yara, yaraRules, null);
        }
    }

    /**
     * The ClamAV databases a scan loaded: {@code source} {@code bucket} (the newest copy the {@code signatures-update}
     * job stored), {@code local} (the machine's database directory) or {@code built-in} (the connector's test
     * signatures only); their version, build time and age; whether they were acceptable for a {@code clean} verdict,
     * and why not (or that the built-in set was accepted by configuration).
     */
    public record Signatures(
            String source,
            String version,
            @Nullable String location,
            @Nullable String builtAt,
            @Nullable String fetchedAt,
            @Nullable String age,
            String maxAge,
            boolean stale,
            boolean acceptable,
            @Nullable String explanation) {}

    /**
     * Against the asset's previous recovery point: files at the same path (or renamed by appending an
     * extension) whose content changed, and how many of those went from plain to near-random.
     */
    public record Comparison(
            String previousRecoveryPointId,
            long filesInBoth,
            long changedFiles,
            long changedToEncrypted,
            double encryptedShare) {}
}
