package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.filesystems.Finding;
import io.cloudconnector.integrity.signatures.Freshness;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What the scanning threads found so far; turned into a {@link ScanReport} with its verdict at the end. Thread-safe. */
final class ScanTally {

    /** Files with signs kept for the report's worst-files list; counts go on beyond it. */
    private static final int MAX_TRACKED = 10_000;

    private final ScanSettings settings;
    private final List<Finding> findings = new ArrayList<>();
    private final List<ScanReport.Detection> detections = new ArrayList<>();
    private final Map<String, Signs> signs = new HashMap<>();
    private final List<ScanReport.VolumeSummary> volumes = new ArrayList<>();
    private long files;
    private long bytesScanned;
    private long filesTruncated;
    private long filesUnreadable;
    private long highEntropy;
    private long magicMismatches;
    private long encryptedLooking;
    private long ransomNotes;
    private long ransomExtensions;
    private long detectionCount;
    private long filesInBoth;
    private long changed;
    private long changedToEncrypted;
    private final List<String> unreadableVolumes = new ArrayList<>();
    private final List<String> encryptedVolumes = new ArrayList<>();
    private final List<String> ransomNotePaths = new ArrayList<>();
    private @Nullable Freshness signatures;

    private static final class Signs {
        final long size;
        final double entropy;
        final List<String> list = new ArrayList<>();

        Signs(long size, double entropy) {
            this.size = size;
            this.entropy = entropy;
        }
    }

    ScanTally(ScanSettings settings) {
        this.settings = settings;
    }

    /** The signatures ClamAV loaded: without acceptable ones a scan that found nothing is {@code unknown}. */
    synchronized void signatures(Freshness freshness) {
        this.signatures = freshness;
    }

    synchronized void finding(Finding finding) {
        findings.add(finding);
    }

    synchronized void volume(ScanReport.VolumeSummary summary, boolean unreadable) {
        volumes.add(summary);
        if (unreadable) {
            unreadableVolumes.add(summary.name() + " (" + summary.content() + ")");
        }
    }

    /** A volume encrypted at rest (LUKS, BitLocker): none of its files was scanned, so the scan cannot be clean. */
    synchronized void encryptedVolume(String description) {
        encryptedVolumes.add(description);
    }

    /** One file read: its size scanned, entropy, and the signs found on it. */
    synchronized void file(
            String path,
            long size,
            long scanned,
            double entropy,
            boolean highEntropyFile,
            boolean magicMismatch,
            boolean encrypted,
            boolean ransomNote,
            boolean ransomExtension,
            List<String> fileSigns) {
        files++;
        bytesScanned += scanned;
        if (scanned < size) {
            filesTruncated++;
        }
        highEntropy += highEntropyFile ? 1 : 0;
        magicMismatches += magicMismatch ? 1 : 0;
        encryptedLooking += encrypted ? 1 : 0;
        if (ransomNote) {
            noteFound(path);
        }
        ransomExtensions += ransomExtension ? 1 : 0;
        if (!fileSigns.isEmpty()) {
            var entry = signsOf(path, size, entropy);
            if (entry != null) {
                entry.list.addAll(fileSigns);
            }
        }
    }

    private @Nullable Signs signsOf(String path, long size, double entropy) {
        var entry = signs.get(path);
        if (entry == null && signs.size() < MAX_TRACKED) {
            entry = new Signs(size, entropy);
            signs.put(path, entry);
        }
        return entry;
    }

    synchronized void unreadableFile(Finding why) {
        filesUnreadable++;
        findings.add(why);
    }

    synchronized void compared(boolean sameContent, boolean becameEncrypted) {
        filesInBoth++;
        if (!sameContent) {
            changed++;
        }
        if (becameEncrypted) {
            changedToEncrypted++;
        }
    }

    synchronized void renamed(boolean becameEncrypted) {
        changed++;
        if (becameEncrypted) {
            changedToEncrypted++;
        }
    }

    synchronized void detection(String path, String engine, String signature) {
        detectionCount++;
        detections.add(new ScanReport.Detection(path, engine, signature));
        var entry = signsOf(path, 0, 0);
        if (entry != null) {
            entry.list.add(engine + ": " + signature);
        }
    }

    synchronized void ransomNoteText(String path) {
        if (!ransomNotePaths.contains(path)) {
            noteFound(path);
        }
        var entry = signsOf(path, 0, 0);
        if (entry != null) {
            entry.list.add("ransom-note text");
        }
    }

    private void noteFound(String path) {
        ransomNotes++;
        if (ransomNotePaths.size() < settings.listLimit()) {
            ransomNotePaths.add(path);
        }
    }

    synchronized ScanReport report(ScanReport.Engines engines, @Nullable String previousRecoveryPointId) {
        int limit = settings.listLimit();
        List<String> reasons = new ArrayList<>();
        var comparison = previousRecoveryPointId == null
                ? null
                : new ScanReport.Comparison(
                        previousRecoveryPointId,
                        filesInBoth,
                        changed,
                        changedToEncrypted,
                        changed == 0 ? 0 : (double) changedToEncrypted / changed);
        ScanVerdict verdict = ScanVerdict.CLEAN;
        if (detectionCount > 0) {
            verdict = ScanVerdict.INFECTED;
            reasons.add(detectionCount + " malware detection" + (detectionCount == 1 ? "" : "s") + ", first "
                    + detections.getFirst().signature() + " in /"
                    + detections.getFirst().path());
        }
        List<String> ransomware = new ArrayList<>();
        if (comparison != null
                && changedToEncrypted >= settings.minEncryptedFiles()
                && comparison.encryptedShare() >= settings.minEncryptedShare()) {
            ransomware.add(String.format(
                    java.util.Locale.ROOT,
                    "ransomware: %d of %d files changed since %s went from " + "plain to near-random content (%.0f%%)",
                    changedToEncrypted,
                    changed,
                    previousRecoveryPointId,
                    100 * comparison.encryptedShare()));
        }
        if (encryptedLooking >= settings.minEncryptedFiles()) {
            ransomware.add("ransomware: " + encryptedLooking + " files look encrypted (near-random content where their "
                    + "type promises text or a known format)");
        }
        if (ransomNotes > 0) {
            ransomware.add("ransomware: " + ransomNotes + " ransom note" + (ransomNotes == 1 ? "" : "s") + " ("
                    + String.join(
                            ", ", ransomNotePaths.stream().map(p -> "/" + p).toList()) + ")");
        }
        if (ransomExtensions >= settings.minEncryptedFiles()) {
            ransomware.add("ransomware: " + ransomExtensions + " files carry extensions ransomware appends");
        }
        var damage = findings.stream()
                .filter(f -> f.severity() == Finding.Severity.ERROR)
                .toList();
        if (!ransomware.isEmpty() || !damage.isEmpty()) {
            if (verdict == ScanVerdict.CLEAN) {
                verdict = ScanVerdict.SUSPICIOUS;
            }
            reasons.addAll(ransomware);
            if (!damage.isEmpty()) {
                reasons.add("file-system damage: " + damage.getFirst().location() + ": "
                        + damage.getFirst().message()
                        + (damage.size() > 1 ? " (and " + (damage.size() - 1) + " more)" : ""));
            }
        }
        if (!unreadableVolumes.isEmpty()) {
            if (verdict == ScanVerdict.CLEAN) {
                verdict = ScanVerdict.UNREADABLE;
            }
            reasons.add("not scanned: " + String.join(", ", unreadableVolumes));
        }
        if (!encryptedVolumes.isEmpty()) {
            if (verdict == ScanVerdict.CLEAN) {
                verdict = ScanVerdict.UNREADABLE;
            }
            reasons.add("encrypted, not scanned without the key: " + String.join(", ", encryptedVolumes));
        }
        if (filesUnreadable > 0) {
            reasons.add(filesUnreadable + " file" + (filesUnreadable == 1 ? "" : "s") + " could not be read");
            if (verdict == ScanVerdict.CLEAN) {
                verdict = ScanVerdict.UNREADABLE;
            }
        }
        if (verdict == ScanVerdict.CLEAN && signatures != null && !signatures.acceptable()) {
            // Nothing found, but with stale (or only test) signatures nothing found vouches for nothing.
            verdict = ScanVerdict.UNKNOWN;
            reasons.add(String.valueOf(signatures.explanation()));
            reasons.add("no malware, no ransomware signs, no file-system damage in " + files + " files");
        } else if (verdict == ScanVerdict.CLEAN) {
            reasons.add("no malware, no ransomware signs, no file-system damage in " + files + " files");
            if (signatures != null && signatures.explanation() != null) {
                reasons.add(String.valueOf(signatures.explanation()));
            }
        }
        var worst = signs.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, Signs> e) ->
                                e.getValue().list.size())
                        .reversed()
                        .thenComparing(e -> -e.getValue().entropy)
                        .thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(e -> new ScanReport.SuspiciousFile(
                        e.getKey(),
                        e.getValue().size,
                        Math.round(e.getValue().entropy * 1000) / 1000.0,
                        List.copyOf(e.getValue().list)))
                .toList();
        var sortedFindings = findings.stream()
                .sorted(Comparator.comparing((Finding f) -> f.severity().ordinal())
                        .reversed())
                .limit(limit)
                .toList();
        boolean truncated = detections.size() > limit || signs.size() > limit || findings.size() > limit;
        var counts = new ScanReport.Counts(
                volumes.size(),
                files,
                bytesScanned,
                filesTruncated,
                filesUnreadable,
                highEntropy,
                magicMismatches,
                encryptedLooking,
                ransomNotes,
                ransomExtensions,
                detectionCount);
        return new ScanReport(
                verdict,
                reasons,
                counts,
                List.copyOf(volumes),
                detections.stream().limit(limit).toList(),
                worst,
                sortedFindings,
                engines,
                comparison,
                truncated);
    }
}
