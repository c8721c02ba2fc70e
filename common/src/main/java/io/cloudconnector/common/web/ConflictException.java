package io.cloudconnector.common.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/** The request is well-formed but conflicts with the current state (409). */
public final class ConflictException extends ApiException {

    public ConflictException(String detail) {
        super(HttpStatus.CONFLICT, "conflict", detail, List.of());
    }

    /** A conflict caused by one field's value, e.g. a name that is already taken. */
    public ConflictException(String field, String message) {
        super(HttpStatus.CONFLICT, "conflict", message, List.of(new FieldProblem(field, message)));
    }
}
