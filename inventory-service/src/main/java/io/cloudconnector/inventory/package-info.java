/** The inventory service: EC2 and EBS asset discovery and protection status. */
@NullMarked
package io.cloudconnector.inventory;

import org.jspecify.annotations.NullMarked;
