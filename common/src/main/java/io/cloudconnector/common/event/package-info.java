/**
 * The domain events services exchange through the connector's event bus, and their JSON envelope.
 * The simple name of each event record is its {@code type} on the wire.
 */
@NullMarked
package io.cloudconnector.common.event;

import org.jspecify.annotations.NullMarked;
