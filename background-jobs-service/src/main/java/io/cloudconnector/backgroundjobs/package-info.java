/** The background-jobs service: backup and restore jobs and their workers. */
@NullMarked
package io.cloudconnector.backgroundjobs;

import org.jspecify.annotations.NullMarked;
