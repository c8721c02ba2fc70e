/** Repository locks: shared and exclusive leases held in the blob store or in a DynamoDB table. */
@NullMarked
package io.cloudconnector.scalez.repo.lock;

import org.jspecify.annotations.NullMarked;
