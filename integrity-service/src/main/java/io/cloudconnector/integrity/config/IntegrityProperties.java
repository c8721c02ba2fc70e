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
 * @param maxSignatureAge a scan whose ClamAV signatures were built longer ago than this cannot be {@code clean}
 * @param signatures where ClamAV's databases come from and how they are kept
 */
@ConfigurationProperties("connector.integrity")
public record IntegrityProperties(
        @DefaultValue("local") ScanMode scanMode,
        @DefaultValue("1") int localScans,
        @DefaultValue("false") boolean autoScanNewVaults,
        @DefaultValue Scans scans,
        @DefaultValue Checks checks,
        @DefaultValue("3d") Duration maxSignatureAge,
        @DefaultValue Signatures signatures) {

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

    /**
     * The {@code signatures-update} job and the copies it keeps (see {@code docs/integrity.md}, "Signatures").
     *
     * @param schedule cron expression (UTC) of the daily update; "-" turns it off
     * @param freshclam the program
     * @param mirrors private mirrors ({@code PrivateMirror}: URLs that serve {@code daily.cvd}, {@code main.cvd},
     *     {@code bytecode.cvd} and their {@code .cdiff} updates); none: ClamAV's own servers
     * @param databases the standard databases fetched; the others of daily, main and bytecode are excluded
     * @param customUrls further databases ({@code DatabaseCustomURL}), e.g. a {@code .cud} or {@code .ndb}
     * @param bucket where the copies are kept; empty: the connector's bucket {@code <connectorId>-connector}
     * @param prefix the key prefix of the copies in that bucket
     * @param acceptBuiltIn whether a scan with only the connector's built-in test signatures may still be
     *     {@code clean} (the local stack and tests only: there is no download there)
     * @param timeout how long freshclam may run
     */
    public record Signatures(
            @DefaultValue("0 45 2 * * *") String schedule,
            @DefaultValue("freshclam") String freshclam,
            @DefaultValue List<String> mirrors,
            @DefaultValue({"daily", "main", "bytecode"}) List<String> databases,
            @DefaultValue List<String> customUrls,
            @DefaultValue("") String bucket,
            @DefaultValue("signatures/clamav/") String prefix,
            @DefaultValue("false") boolean acceptBuiltIn,
            @DefaultValue("30m") Duration timeout) {}
}
