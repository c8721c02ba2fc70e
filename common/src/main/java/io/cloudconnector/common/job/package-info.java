/**
 * What a service running a job tells the job-status service: {@link io.cloudconnector.common.job.JobReporter}.
 */
@NullMarked
package io.cloudconnector.common.job;

import org.jspecify.annotations.NullMarked;
