package io.cloudconnector.common.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/** The resource does not exist, or belongs to someone the caller may not see (404 either way). */
public final class NotFoundException extends ApiException {

    public NotFoundException(String resource, String id) {
        super(HttpStatus.NOT_FOUND, "not-found", resource + " " + Problems.echo(id) + " does not exist", List.of());
    }
}
