/** Restore and read: writes a recovery point back to an image, device, file or directory, or reads it at random. */
@NullMarked
package io.cloudconnector.scalez.restore;

import org.jspecify.annotations.NullMarked;
