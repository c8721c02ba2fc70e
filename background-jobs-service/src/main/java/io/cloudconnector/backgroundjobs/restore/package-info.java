/** Restores: a recovery point into a new EBS snapshot or volume, or a new EC2 instance. */
@NullMarked
package io.cloudconnector.backgroundjobs.restore;

import org.jspecify.annotations.NullMarked;
