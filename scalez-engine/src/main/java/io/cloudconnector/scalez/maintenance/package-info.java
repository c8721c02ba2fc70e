/** Maintenance: retention (forget), prune (delete and repack unreferenced data) and check. */
@NullMarked
package io.cloudconnector.scalez.maintenance;

import org.jspecify.annotations.NullMarked;
