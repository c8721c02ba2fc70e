/** The repository's public vocabulary, shared by every job: recovery points, settings, progress, and the exceptions that name a damaged or missing object. */
@NullMarked
package io.cloudconnector.scalez.model;

import org.jspecify.annotations.NullMarked;
