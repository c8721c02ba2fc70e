package io.cloudconnector.integrity.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the integrity service runs ({@code connector.integrity.*}); see {@code docs/integrity.md}.
 *
 * @param scanMode {@code local}: scans run on a bounded in-process executor (the emulator, development);
 *     {@code batch}: scans are submitted to the vault's AWS Batch queue with its scanner job definition
 * @param localScans how many scans run at once in local mode; more wait in a bounded queue
 * @param autoScanNewVaults the {@code autoScan} setting a vault gets when integrity first hears of it
 * @param scans how one scan reads and judges a recovery point
 * @param checks the account checks and their schedule
 */
@ConfigurationProperties("connector.integrity")
public record IntegrityProperties(
        @DefaultValue("local") ScanMode scanMode,
        @DefaultValue("1") int localScans,
        @DefaultValue("false") boolean autoScanNewVaults,
        @DefaultValue Scans scans,
        @DefaultValue Checks checks) {

    /** Where scans run. */
    public enum ScanMode {
        LOCAL,
        BATCH
    }

    /** See {@code ScanSettings} for what each does. */
    public record Scans(
            @DefaultValue("4") int threads,
            @DefaultValue("100MB") DataSize maxFileSize,
            @DefaultValue("64MB") DataSize batchSize,
            @DefaultValue("500") int batchFiles,
            // Placeholders in @DefaultValue are not resolved (Boot 4.0): application.yaml sets ${java.io.tmpdir}/….
            @DefaultValue("/tmp/cloudconnector-scans") Path workDir,
            @DefaultValue("/usr/sbin/clamd") String clamd,
            @DefaultValue("/var/lib/clamav") Path officialClamavDatabase,
            @DefaultValue("5m") Duration clamdStartTimeout,
            @DefaultValue("yara") String yara,
            @DefaultValue("/etc/cloudconnector/yara") Path extraYaraRules,
            @DefaultValue("10m") Duration engineTimeout,
            @DefaultValue("10") int minEncryptedFiles,
            @DefaultValue("0.5") double minEncryptedShare,
            @DefaultValue("50") int listLimit) {}

    /**
     * @param schedule cron expression (UTC) of the daily run; "-" turns it off
     * @param supportedRegions where a connector may run
     */
    public record Checks(
            @DefaultValue("0 15 3 * * *") String schedule,

            @DefaultValue({"us-east-1", "us-east-2", "us-west-2", "eu-central-1", "ap-southeast-2"})
            List<String> supportedRegions) {}
}
