/** End-to-end support: the local stack tool behind {@code ./connector}. */
@NullMarked
package io.cloudconnector.e2e;

import org.jspecify.annotations.NullMarked;
