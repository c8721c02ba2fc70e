/** The provisioner's settings and AWS clients. */
@NullMarked
package io.cloudconnector.provisioner.config;

import org.jspecify.annotations.NullMarked;
