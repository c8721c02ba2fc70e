/**
 * The execution of backup and restore jobs: the job record, admission with idempotency, the runner that a
 * worker (a Batch job, or the local executor) uses, progress, cancellation and recovery from dead workers.
 */
@NullMarked
package io.cloudconnector.backgroundjobs.job;

import org.jspecify.annotations.NullMarked;
