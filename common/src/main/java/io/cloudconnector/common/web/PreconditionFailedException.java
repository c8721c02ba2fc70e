package io.cloudconnector.common.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A conditional request whose condition does not hold: an {@code If-Match} naming a version that is no longer the
 * resource's (412), or a required {@code If-Match} left out (428).
 */
public final class PreconditionFailedException extends ApiException {

    private PreconditionFailedException(HttpStatus status, String type, String detail) {
        super(status, type, detail, List.of(new FieldProblem("If-Match", detail)));
    }

    /** 412: the resource changed since the version the caller read. */
    public static PreconditionFailedException stale(String detail) {
        return new PreconditionFailedException(HttpStatus.PRECONDITION_FAILED, "precondition-failed", detail);
    }

    /** 428: the operation needs an {@code If-Match} header. */
    public static PreconditionFailedException required(String detail) {
        return new PreconditionFailedException(HttpStatus.PRECONDITION_REQUIRED, "precondition-required", detail);
    }
}
