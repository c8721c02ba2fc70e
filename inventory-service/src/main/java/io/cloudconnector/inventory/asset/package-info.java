/** Assets: the region's EC2 instances and EBS volumes and whether they are protected. */
@NullMarked
package io.cloudconnector.inventory.asset;

import org.jspecify.annotations.NullMarked;
