/** What a backup reads: block images and devices, files, streams, directory trees. */
@NullMarked
package io.cloudconnector.scalez.source;

import org.jspecify.annotations.NullMarked;
