/**
 * Browsing and downloading files from a recovery point without restoring it: its partitions and logical volumes,
 * directory listings, a file's bytes (with ranges) and a directory as a tar stream. Only the blocks a request needs
 * are read from the vault, through the engine's random access and the {@code filesystems} module's readers.
 */
@NullMarked
package io.cloudconnector.backgroundjobs.files;

import org.jspecify.annotations.NullMarked;
