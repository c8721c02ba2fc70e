/** Configuration of the background-jobs service: its properties and the AWS clients of each region it works in. */
@NullMarked
package io.cloudconnector.backgroundjobs.config;

import org.jspecify.annotations.NullMarked;
