/** What scan and check jobs share: their idempotency keys. */
@NullMarked
package io.cloudconnector.integrity.job;

import org.jspecify.annotations.NullMarked;
