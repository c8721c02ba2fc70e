/**
 * Discovery: full sweeps of the region's instances and volumes (on request as a job, and as the periodic
 * resync), and the EC2/EBS events that update single assets in between.
 */
@NullMarked
package io.cloudconnector.inventory.discovery;

import org.jspecify.annotations.NullMarked;
