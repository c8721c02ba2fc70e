/**
 * The repository facade: {@link io.cloudconnector.scalez.repo.Repository}, the engine's public API, opens a
 * repository and runs each job (backup, restore, maintenance) under the repository's locks.
 */
@NullMarked
package io.cloudconnector.scalez.repo;

import org.jspecify.annotations.NullMarked;
