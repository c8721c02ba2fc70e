/** Protection status: each asset's newest recovery point and newest clean one, from the catalog's and integrity's events. */
@NullMarked
package io.cloudconnector.inventory.protection;

import org.jspecify.annotations.NullMarked;
