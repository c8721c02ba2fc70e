/** Where a restore writes: block images and devices, directory trees. */
@NullMarked
package io.cloudconnector.scalez.sink;

import org.jspecify.annotations.NullMarked;
