/** Recovery points: the catalog's index of what each vault's ScaleZ repository holds. */
@NullMarked
package io.cloudconnector.catalog.recoverypoint;

import org.jspecify.annotations.NullMarked;
