/** Keyed chunk ids (HMAC-SHA256 with the repository MAC key) and the 32-byte object ids of the format. */
@NullMarked
package io.cloudconnector.scalez.hash;

import org.jspecify.annotations.NullMarked;
