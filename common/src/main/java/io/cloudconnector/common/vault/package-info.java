/** The names of a vault's AWS resources, as its stack ({@code infra/cloudformation/vault.yaml}) creates them. */
@NullMarked
package io.cloudconnector.common.vault;

import org.jspecify.annotations.NullMarked;
