/** Demand: the pending and running jobs per vault, learnt from job events. */
@NullMarked
package io.cloudconnector.provisioner.job;

import org.jspecify.annotations.NullMarked;
