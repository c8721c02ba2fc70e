package io.cloudconnector.common.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Renders the servlet container's error dispatch as problem JSON, instead of Spring Boot's
 * {@code {timestamp, status, error, path}}: what reaches it is an error sent before any controller ran, such as
 * the security firewall refusing a path with {@code //}, {@code /./} or an encoded {@code %}. Not part of the API
 * (hidden from the OpenAPI document); asked for directly, it is a 404.
 */
@RestController
@io.swagger.v3.oas.annotations.Hidden
public class ProblemErrorController implements ErrorController {

    // The error dispatch of a refused request, authenticated or not: it only renders the refusal as problem JSON
    // (ArchitectureTests exempts error controllers from the scope rule).
    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Asked for directly rather than dispatched to: there is no such resource.
        HttpStatus status = code == null ? HttpStatus.NOT_FOUND : statusOf(code);
        String detail = status.is4xxClientError()
                ? "The request cannot be handled as sent"
                : "The connector failed to handle the request; the error is in its log";
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(status, slug(status), detail, List.of()));
    }

    static HttpStatus statusOf(@org.jspecify.annotations.Nullable Object code) {
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        return status == null || !status.isError() ? HttpStatus.INTERNAL_SERVER_ERROR : status;
    }

    static String slug(HttpStatus status) {
        return status == HttpStatus.INTERNAL_SERVER_ERROR
                ? "internal"
                : status.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
