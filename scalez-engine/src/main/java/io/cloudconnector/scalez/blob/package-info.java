/** Blob stores: a flat namespace of immutable objects on S3 or a local directory (tests keep theirs in memory). */
@NullMarked
package io.cloudconnector.scalez.blob;

import org.jspecify.annotations.NullMarked;
