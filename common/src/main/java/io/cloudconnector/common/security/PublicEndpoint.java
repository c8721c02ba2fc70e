package io.cloudconnector.common.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint served without a token, in place of {@link RequiresScope}: it must also be listed in
 * {@code connector.security.public-paths}, and it may serve nothing but files without data (the dashboard's
 * shell). Every other endpoint declares its scope; {@code ArchitectureTests} checks that each one does.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PublicEndpoint {

    /** Why the endpoint needs no token. */
    String value();
}
