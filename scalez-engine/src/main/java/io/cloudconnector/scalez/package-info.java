/** ScaleZ: the connector's deduplicating, compressing, encrypting storage engine. */
@NullMarked
package io.cloudconnector.scalez;

import org.jspecify.annotations.NullMarked;
