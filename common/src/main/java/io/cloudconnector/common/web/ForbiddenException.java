package io.cloudconnector.common.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/** The caller is known but may not do this (403). */
public final class ForbiddenException extends ApiException {

    public ForbiddenException(String detail) {
        super(HttpStatus.FORBIDDEN, "forbidden", detail, List.of());
    }
}
