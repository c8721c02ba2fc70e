/** ClamAV's databases: the {@code signatures-update} job, the copies in the connector's bucket, their freshness. */
@NullMarked
package io.cloudconnector.integrity.signatures;

import org.jspecify.annotations.NullMarked;
