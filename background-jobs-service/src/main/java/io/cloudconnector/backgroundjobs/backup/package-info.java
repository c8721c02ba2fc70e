/** Backups: tenants' requests to back up an EBS volume or EC2 instance into a vault. */
@NullMarked
package io.cloudconnector.backgroundjobs.backup;

import org.jspecify.annotations.NullMarked;
