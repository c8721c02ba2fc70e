/** Pack files: many sealed blobs followed by a sealed header that lists them. */
@NullMarked
package io.cloudconnector.scalez.pack;

import org.jspecify.annotations.NullMarked;
