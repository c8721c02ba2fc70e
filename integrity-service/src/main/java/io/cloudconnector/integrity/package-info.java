/** The integrity service: account checks and recovery-point threat scans. */
@NullMarked
package io.cloudconnector.integrity;

import org.jspecify.annotations.NullMarked;
