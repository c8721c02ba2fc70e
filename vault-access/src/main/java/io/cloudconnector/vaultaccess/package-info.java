/**
 * Opening a vault's ScaleZ repository, the one way every service does it: {@link
 * io.cloudconnector.vaultaccess.VaultAccess}.
 */
@NullMarked
package io.cloudconnector.vaultaccess;

import org.jspecify.annotations.NullMarked;
