/** Backups: an EBS volume or an EC2 instance with its volumes into a vault, as a recovery point. */
@NullMarked
package io.cloudconnector.backgroundjobs.backup;

import org.jspecify.annotations.NullMarked;
