/** The integrity service's configuration and AWS clients. */
@NullMarked
package io.cloudconnector.integrity.config;

import org.jspecify.annotations.NullMarked;
