/**
 * Publishing domain events to the connector's bus, and consuming them from the service's SQS inbox:
 * decoded, deduplicated by event id, dispatched to {@link io.cloudconnector.common.messaging.EventHandler}s.
 */
@NullMarked
package io.cloudconnector.common.messaging;

import org.jspecify.annotations.NullMarked;
