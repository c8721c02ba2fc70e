/**
 * What looks for threats in file contents: ClamAV (a {@code clamd} this scan starts, with the connector's
 * own signatures and the official database when installed), YARA (the {@code yara} command with the
 * connector's rules), and the ransomware heuristics (entropy, magic numbers, ransom notes, extensions).
 */
@NullMarked
package io.cloudconnector.integrity.scan.detect;

import org.jspecify.annotations.NullMarked;
