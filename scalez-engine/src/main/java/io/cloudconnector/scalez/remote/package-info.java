/** The client side of a ScaleZ server: a backup that writes through a server saves its chunks with these. */
@NullMarked
package io.cloudconnector.scalez.remote;

import org.jspecify.annotations.NullMarked;
