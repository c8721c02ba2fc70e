/** Beans the service configures differently from the shared defaults of {@code common}. */
@NullMarked
package io.cloudconnector.jobstatus.config;

import org.jspecify.annotations.NullMarked;
