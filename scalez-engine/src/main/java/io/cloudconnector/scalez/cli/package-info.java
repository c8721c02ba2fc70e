/** The scalez command line. */
@NullMarked
package io.cloudconnector.scalez.cli;

import org.jspecify.annotations.NullMarked;
