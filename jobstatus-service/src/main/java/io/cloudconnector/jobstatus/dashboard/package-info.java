/** The operator dashboard: a static page that reads the job API with the operator's token. */
@NullMarked
package io.cloudconnector.jobstatus.dashboard;

import org.jspecify.annotations.NullMarked;
