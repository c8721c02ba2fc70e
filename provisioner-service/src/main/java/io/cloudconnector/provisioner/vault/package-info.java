/** The vaults the provisioner serves, learnt from the catalog's events, and their stacks' compute settings. */
@NullMarked
package io.cloudconnector.provisioner.vault;

import org.jspecify.annotations.NullMarked;
