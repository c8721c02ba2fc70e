/**
 * Bearer-token security shared by every service: JWTs signed RS256 or ES256, verified against the
 * tenant's JWKS URL or public key, audience = connector id, one scope per operation.
 */
@NullMarked
package io.cloudconnector.common.security;

import org.jspecify.annotations.NullMarked;
