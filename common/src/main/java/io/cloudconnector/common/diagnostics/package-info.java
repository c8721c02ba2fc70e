/**
 * The connector's wiring self-test: a ping published by one service through the bus and recorded by
 * every service that receives it in its inbox.
 */
@NullMarked
package io.cloudconnector.common.diagnostics;

import org.jspecify.annotations.NullMarked;
