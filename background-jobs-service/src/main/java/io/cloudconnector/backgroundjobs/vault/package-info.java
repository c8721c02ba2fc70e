/** The vaults this service may write to, learnt from the catalog's vault events, and their ScaleZ repositories. */
@NullMarked
package io.cloudconnector.backgroundjobs.vault;

import org.jspecify.annotations.NullMarked;
