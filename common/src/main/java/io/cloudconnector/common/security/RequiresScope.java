package io.cloudconnector.common.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.security.access.prepost.PreAuthorize;

/**
 * The scope a token must carry to call the annotated endpoint; without it the answer is 403 problem
 * JSON. Use the constants of {@link Scopes}: {@code @RequiresScope(Scopes.VAULTS_READ)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@PreAuthorize("hasAuthority('SCOPE_{value}')")
public @interface RequiresScope {

    /** The scope, e.g. {@code vaults:read}. */
    String value();
}
