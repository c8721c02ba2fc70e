/** The protection policies as the inventory knows them, from background-jobs' {@code PolicyChanged} events. */
@NullMarked
package io.cloudconnector.inventory.policy;

import org.jspecify.annotations.NullMarked;
