/** The catalog's configuration and its AWS clients per region. */
@NullMarked
package io.cloudconnector.catalog.config;

import org.jspecify.annotations.NullMarked;
