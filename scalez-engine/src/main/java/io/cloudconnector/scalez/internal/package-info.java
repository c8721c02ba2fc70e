/**
 * Engine-internal: what the jobs of an open repository share (context, config, manifests, index set, chunk loading
 * and saving, tree metadata streams, workers). Public only so that the engine's own packages can use it; an
 * ArchUnit rule keeps everything outside the engine (services, e2e-tests) from using it.
 */
@NullMarked
package io.cloudconnector.scalez.internal;

import org.jspecify.annotations.NullMarked;
