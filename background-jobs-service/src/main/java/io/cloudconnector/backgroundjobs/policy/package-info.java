/**
 * Protection policies: assets picked by id or tag are backed up (and scanned) on a schedule, and their recovery
 * points kept by the policy's retention rules; see docs/policies.md.
 */
@NullMarked
package io.cloudconnector.backgroundjobs.policy;

import org.jspecify.annotations.NullMarked;
