/** Blob stores: a flat namespace of immutable objects on S3, a local directory or in memory. */
@NullMarked
package io.cloudconnector.scalez.blob;

import org.jspecify.annotations.NullMarked;
