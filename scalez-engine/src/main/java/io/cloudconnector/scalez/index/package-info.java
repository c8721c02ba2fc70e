/** Index files and the in-memory chunk index that maps chunk ids to their place in a pack. */
@NullMarked
package io.cloudconnector.scalez.index;

import org.jspecify.annotations.NullMarked;
