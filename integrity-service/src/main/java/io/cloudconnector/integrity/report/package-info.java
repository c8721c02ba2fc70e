/** Integrity reports: account checks and recovery-point threat scans. */
@NullMarked
package io.cloudconnector.integrity.report;

import org.jspecify.annotations.NullMarked;
