/** The inventory's settings ({@code inventory.*}), its AWS clients and its scheduled tasks. */
@NullMarked
package io.cloudconnector.inventory.config;

import org.jspecify.annotations.NullMarked;
