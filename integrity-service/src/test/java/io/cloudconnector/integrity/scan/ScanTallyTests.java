package io.cloudconnector.integrity.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.filesystems.Finding;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict: infected over suspicious over unreadable over clean, each with its reasons. */
class ScanTallyTests {

    private static final ScanReport.Engines ENGINES =
            new ScanReport.Engines("ClamAV 1.4.6", false, List.of(), "4.2.3", List.of());

    private final ScanTally tally = new ScanTally(TestRepositories.settings(Path.of("/tmp")));

    private void plainFiles(int count) {
        for (int i = 0; i < count; i++) {
            tally.file("docs/" + i + ".txt", 10_000, 10_000, 4.2, false, false, false, false, false, List.of());
        }
    }

    private int encrypted;

    private void encryptedFiles(int count) {
        for (int i = 0; i < count; i++) {
            tally.file(
                    "docs/e" + encrypted++ + ".txt",
                    10_000,
                    10_000,
                    7.98,
                    true,
                    false,
                    true,
                    false,
                    false,
                    List.of("near-random content (7.98 bits/byte) in a text file"));
        }
    }

    @Test
    void nothingFoundIsClean() {
        plainFiles(3);

        var report = tally.report(ENGINES, null);

        assertThat(report.verdict()).isEqualTo(ScanVerdict.CLEAN);
        assertThat(report.reasons())
                .containsExactly("no malware, no ransomware signs, no file-system damage in 3 files");
    }

    @Test
    void encryptedFilesBelowTheThresholdAreNotRansomwareAtOrAboveThemTheyAre() {
        encryptedFiles(4);
        assertThat(tally.report(ENGINES, null).verdict()).isEqualTo(ScanVerdict.CLEAN);

        encryptedFiles(1);
        var report = tally.report(ENGINES, null);

        assertThat(report.verdict()).isEqualTo(ScanVerdict.SUSPICIOUS);
        assertThat(report.reasons())
                .containsExactly("ransomware: 5 files look encrypted (near-random content where "
                        + "their type promises text or a known format)");
        assertThat(report.worstFiles()).hasSize(5);
    }

    @Test
    void theComparisonNeedsBothTheCountAndTheShare() {
        for (int i = 0; i < 5; i++) {
            tally.compared(false, true);
        }
        for (int i = 0; i < 6; i++) {
            tally.compared(false, false);
        }
        assertThat(tally.report(ENGINES, "rp-1").verdict())
                .as("5 of 11 is below half")
                .isEqualTo(ScanVerdict.CLEAN);

        tally.renamed(true);

        var report = tally.report(ENGINES, "rp-1");
        assertThat(report.verdict()).isEqualTo(ScanVerdict.SUSPICIOUS);
        assertThat(report.comparison()).isEqualTo(new ScanReport.Comparison("rp-1", 11, 12, 6, 0.5));
    }

    @Test
    void malwareWinsOverEverythingAndEveryReasonIsKept() {
        encryptedFiles(6);
        tally.volume(new ScanReport.VolumeSummary("disk0 p2", "gpt", "linux-data", 0, 1, "unsupported: fat", 0), true);
        tally.detection("tmp/eicar.com", "clamav", "Eicar-Signature");

        var report = tally.report(ENGINES, null);

        assertThat(report.verdict()).isEqualTo(ScanVerdict.INFECTED);
        assertThat(report.reasons())
                .hasSize(3)
                .first()
                .asString()
                .startsWith("1 malware detection, first Eicar-Signature");
    }

    @Test
    void anUnreadableVolumeMakesAnOtherwiseCleanPointUnreadableAndDamageMakesItSuspicious() {
        plainFiles(1);
        tally.volume(new ScanReport.VolumeSummary("disk0 p2", "gpt", "linux-data", 0, 1, "unsupported: fat", 0), true);
        assertThat(tally.report(ENGINES, null).verdict()).isEqualTo(ScanVerdict.UNREADABLE);

        tally.finding(Finding.error("disk0 p1", "primary superblock is damaged"));

        var report = tally.report(ENGINES, null);
        assertThat(report.verdict()).isEqualTo(ScanVerdict.SUSPICIOUS);
        assertThat(report.reasons())
                .containsExactly(
                        "file-system damage: disk0 p1: primary superblock is damaged",
                        "not scanned: disk0 p2 (unsupported: fat)");
    }

    @Test
    void anEncryptedVolumeKeepsAScanFromBeingCleanAndSaysWhy() {
        plainFiles(3);
        tally.volume(
                new ScanReport.VolumeSummary("disk0 p3", "gpt", "linux-data", 0, 1, "encrypted-volume: luks2", 0),
                false);
        tally.encryptedVolume("disk0 p3 (luks2)");

        var report = tally.report(ENGINES, null);

        assertThat(report.verdict()).isEqualTo(ScanVerdict.UNREADABLE);
        assertThat(report.reasons()).containsExactly("encrypted, not scanned without the key: disk0 p3 (luks2)");

        tally.detection("tmp/eicar.com", "clamav", "Eicar-Signature");
        assertThat(tally.report(ENGINES, null).verdict())
                .as("what was readable still decides first")
                .isEqualTo(ScanVerdict.INFECTED);
    }

    private static io.cloudconnector.integrity.signatures.Freshness signatures(boolean acceptable) {
        var built = java.time.Instant.parse("2026-12-01T00:00:00Z");
        var set = new io.cloudconnector.integrity.signatures.SignatureSet(
                "bucket",
                Path.of("/tmp/copy"),
                List.of(new io.cloudconnector.integrity.signatures.SignatureSet.Database(
                        "daily.cld", 27_001L, 10L, built)),
                null,
                built,
                List.of());
        return new io.cloudconnector.integrity.signatures.Freshness(
                set, built.plus(java.time.Duration.ofDays(acceptable ? 1 : 4)), java.time.Duration.ofDays(3), false);
    }

    @Test
    void nothingFoundWithStaleSignaturesIsUnknownNeverClean() {
        plainFiles(3);
        tally.signatures(signatures(false));

        var report = tally.report(ENGINES, null);

        assertThat(report.verdict()).isEqualTo(ScanVerdict.UNKNOWN);
        assertThat(report.reasons().getFirst()).startsWith("signatures-stale: the ClamAV signatures (daily 27001)");
        assertThat(report.reasons()).contains("no malware, no ransomware signs, no file-system damage in 3 files");
    }

    @Test
    void staleSignaturesDoNotHideWhatWasFound() {
        tally.signatures(signatures(false));
        tally.detection("tmp/eicar.com", "clamav", "Eicar-Signature");
        assertThat(tally.report(ENGINES, null).verdict()).isEqualTo(ScanVerdict.INFECTED);

        var other = new ScanTally(TestRepositories.settings(Path.of("/tmp")));
        other.signatures(signatures(false));
        other.finding(Finding.error("disk0 ext4", "superblock checksum mismatch"));
        assertThat(other.report(ENGINES, null).verdict()).isEqualTo(ScanVerdict.SUSPICIOUS);
    }

    @Test
    void nothingFoundWithFreshSignaturesIsClean() {
        plainFiles(3);
        tally.signatures(signatures(true));

        assertThat(tally.report(ENGINES, null).verdict()).isEqualTo(ScanVerdict.CLEAN);
    }
}
