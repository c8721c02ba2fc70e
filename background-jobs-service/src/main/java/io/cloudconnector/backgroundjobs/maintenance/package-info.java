/**
 * Vault maintenance: a {@code vault-maintenance} job per vault, daily and on request, that forgets what was expired
 * or deleted, prunes, checks, and reports what it reclaimed and found.
 */
@NullMarked
package io.cloudconnector.backgroundjobs.maintenance;

import org.jspecify.annotations.NullMarked;
