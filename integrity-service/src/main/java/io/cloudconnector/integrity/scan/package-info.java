/**
 * Recovery-point threat scans: the recovery points integrity learns from {@code RecoveryPointCreated},
 * scan jobs ({@code POST /v1/scans}, or automatic per vault) run in-process or as AWS Batch jobs in worker
 * mode, the scanner itself, and the completion that stores the report and announces the verdict.
 */
@NullMarked
package io.cloudconnector.integrity.scan;

import org.jspecify.annotations.NullMarked;
