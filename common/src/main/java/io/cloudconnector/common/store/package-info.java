/** Each service's DynamoDB table: single-table items, conditional writes, newest-first pages. */
@NullMarked
package io.cloudconnector.common.store;

import org.jspecify.annotations.NullMarked;
