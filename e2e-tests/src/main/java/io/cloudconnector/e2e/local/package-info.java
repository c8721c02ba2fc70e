/**
 * The local stack: deploys the connector template into the emulator, holds the development signing
 * key, mints tokens and runs the smoke flow of {@code ./connector demo}.
 */
@NullMarked
package io.cloudconnector.e2e.local;

import org.jspecify.annotations.NullMarked;
