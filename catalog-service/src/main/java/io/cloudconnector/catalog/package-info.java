/** The catalog service: vaults and the recovery-point catalog. */
@NullMarked
package io.cloudconnector.catalog;

import org.jspecify.annotations.NullMarked;
