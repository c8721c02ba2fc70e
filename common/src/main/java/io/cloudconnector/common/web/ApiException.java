package io.cloudconnector.common.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A request the API refuses, with the status and problem type it answers with. Services throw the
 * subclasses; {@link ProblemDetailsAdvice} turns them into problem JSON.
 */
public abstract sealed class ApiException extends RuntimeException
        permits NotFoundException,
                ConflictException,
                InvalidInputException,
                ForbiddenException,
                PreconditionFailedException {

    private final HttpStatus status;
    private final String problemType;
    private final List<FieldProblem> errors;

    ApiException(HttpStatus status, String problemType, String detail, List<FieldProblem> errors) {
        super(detail);
        this.status = status;
        this.problemType = problemType;
        this.errors = List.copyOf(errors);
    }

    /** The HTTP status of the answer. */
    public HttpStatus status() {
        return status;
    }

    /** The last segment of the problem type URI, e.g. {@code not-found}. */
    public String problemType() {
        return problemType;
    }

    /** The fields at fault, if any. */
    public List<FieldProblem> errors() {
        return errors;
    }
}
