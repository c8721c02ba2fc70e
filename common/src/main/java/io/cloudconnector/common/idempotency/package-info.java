/**
 * {@code Idempotency-Key} of the POSTs that create something: one set of rules for every service, the
 * record written in the same DynamoDB write as what it created.
 */
@NullMarked
package io.cloudconnector.common.idempotency;

import org.jspecify.annotations.NullMarked;
