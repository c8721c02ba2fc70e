/** Backup: chunks a block device, file, stream or tree, saves new chunks and writes its tree metadata. */
@NullMarked
package io.cloudconnector.scalez.backup;

import org.jspecify.annotations.NullMarked;
