package io.cloudconnector.integrity.scan;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How scans run: reader threads, how much of each file and of each staged batch, the engines' programs and
 * timeouts, and the ransomware thresholds (see {@code docs/integrity.md}).
 *
 * @param threads files read and checked at once (each with its own recovery-point reader)
 * @param maxFileBytes only this much of a file is scanned; the report counts files cut short
 * @param batchBytes staged bytes per engine run (per thread)
 * @param batchFiles staged files per engine run (per thread)
 * @param minEncryptedFiles ransomware needs at least this many encrypted-looking (or newly encrypted) files
 * @param minEncryptedShare ... and this share of the files changed since the previous recovery point
 * @param listLimit at most this many entries in each list of a report
 */
public record ScanSettings(
        int threads,
        long maxFileBytes,
        long batchBytes,
        int batchFiles,
        Path workDir,
        String clamd,
        Path officialClamavDatabase,
        Duration clamdStartTimeout,
        String yara,
        Path extraYaraRules,
        Duration engineTimeout,
        int minEncryptedFiles,
        double minEncryptedShare,
        int listLimit) {}
