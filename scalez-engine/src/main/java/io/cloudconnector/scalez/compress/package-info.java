/** Chunk compression: zstd, or raw when compression does not pay. */
@NullMarked
package io.cloudconnector.scalez.compress;

import org.jspecify.annotations.NullMarked;
