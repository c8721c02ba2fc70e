/** ScaleZ servers: one per active vault, started on spot compute when work appears. */
@NullMarked
package io.cloudconnector.provisioner.server;

import org.jspecify.annotations.NullMarked;
