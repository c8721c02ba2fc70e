/** EC2 and EBS: assets and their ids, snapshots taken and awaited, and the emulator's shim for snapshot contents. */
@NullMarked
package io.cloudconnector.backgroundjobs.ebs;

import org.jspecify.annotations.NullMarked;
