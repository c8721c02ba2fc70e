/** Jobs: their state, progress and result, as the job events report them. */
@NullMarked
package io.cloudconnector.jobstatus.job;

import org.jspecify.annotations.NullMarked;
