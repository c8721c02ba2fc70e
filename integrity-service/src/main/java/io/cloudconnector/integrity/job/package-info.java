/** What scan and check jobs share: their job events. */
@NullMarked
package io.cloudconnector.integrity.job;

import org.jspecify.annotations.NullMarked;
