package io.cloudconnector.common.web;

import java.io.IOException;

/**
 * A request body longer than {@code connector.limits.max-request-body}: thrown by the body's stream as soon as the
 * limit is passed (an I/O failure to whatever reads it), answered 413 problem JSON by {@link ProblemDetailsAdvice}.
 */
public final class RequestBodyTooLargeException extends IOException {

    private final long limit;

    public RequestBodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    /** The most bytes a body may have. */
    public long limit() {
        return limit;
    }
}
