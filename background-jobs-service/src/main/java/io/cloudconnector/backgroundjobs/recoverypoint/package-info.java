/** The recovery points this service wrote: what each holds (volumes, snapshots, instance), for incrementals and restores. */
@NullMarked
package io.cloudconnector.backgroundjobs.recoverypoint;

import org.jspecify.annotations.NullMarked;
