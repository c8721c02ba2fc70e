/**
 * Reading what is inside a recovery point without mounting or restoring it: partition tables (MBR, GPT),
 * LVM2 linear logical volumes, encrypted-volume (LUKS, BitLocker) and file-system detection, and read-only
 * ext2/3/4, NTFS and XFS readers over random-access bytes. The Sleuth Kit cannot read from a stream (it needs a
 * seekable file), so these readers work directly on the engine's random-access reads; the tests check them
 * against The Sleuth Kit on the same images (XFS, which it does not read, against {@code xfs_db}).
 */
@NullMarked
package io.cloudconnector.filesystems;

import org.jspecify.annotations.NullMarked;
