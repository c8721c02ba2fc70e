/** The provisioner service: ScaleZ server lifecycle on spot compute. */
@NullMarked
package io.cloudconnector.provisioner;

import org.jspecify.annotations.NullMarked;
