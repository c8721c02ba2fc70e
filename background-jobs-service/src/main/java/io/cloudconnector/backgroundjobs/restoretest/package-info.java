/**
 * Restore tests: a recovery point restored into scratch resources (tagged with the test), verified block by block and
 * file system by file system, timed, and the scratch deleted; the result goes to the catalog as an event.
 */
@NullMarked
package io.cloudconnector.backgroundjobs.restoretest;

import org.jspecify.annotations.NullMarked;
