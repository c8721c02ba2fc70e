/** Identifiers: ULIDs and the connector's prefixed resource ids. */
@NullMarked
package io.cloudconnector.common.id;

import org.jspecify.annotations.NullMarked;
