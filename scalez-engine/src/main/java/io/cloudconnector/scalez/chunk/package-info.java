/** Chunking: FastCDC content-defined chunks for files and streams, fixed aligned blocks for block devices. */
@NullMarked
package io.cloudconnector.scalez.chunk;

import org.jspecify.annotations.NullMarked;
