/**
 * Retries and waits, the one way the services do them (resilience4j: exponential backoff with jitter, bounded), and
 * the circuit breaker that answers 503 when AWS is unreachable: {@link io.cloudconnector.common.resilience.Retries},
 * {@link io.cloudconnector.common.resilience.AwsAvailability}.
 */
@NullMarked
package io.cloudconnector.common.resilience;

import org.jspecify.annotations.NullMarked;
