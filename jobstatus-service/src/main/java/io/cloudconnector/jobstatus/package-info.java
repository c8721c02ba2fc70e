/** The jobstatus service: job states, live progress and the operator dashboard. */
@NullMarked
package io.cloudconnector.jobstatus;

import org.jspecify.annotations.NullMarked;
