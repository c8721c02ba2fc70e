package io.cloudconnector.common.web;

import io.cloudconnector.common.resilience.AwsAvailability;
import io.cloudconnector.common.resilience.AwsAvailabilityInterceptor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error of every service into RFC 9457 problem JSON: 4xx naming the field for bad input,
 * 401/403 for security, 503 with {@code Retry-After} when AWS is out of reach (or the circuit breaker in front of
 * it is open: {@link AwsAvailability}), and a bare 500 for anything else unexpected — never a stack trace in a
 * response.
 */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        return respond(Problems.of(e.status(), e.problemType(), e.getMessage(), e.errors()));
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException e) {
        List<FieldProblem> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldProblem(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(FieldProblem::field))
                .toList();
        return respond(invalid(errors));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return respond(invalid(
                List.of(new FieldProblem(e.getName(), "'" + Problems.echo(e.getValue()) + "' is not a valid value"))));
    }

    @ExceptionHandler(TooManyStreamsException.class)
    ResponseEntity<ProblemDetail> tooManyStreams(TooManyStreamsException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(TooManyStreamsException.RETRY_AFTER_SECONDS))
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-streams", e.getMessage(), List.of()));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> accessDenied(AccessDeniedException e) {
        return respond(Problems.of(
                HttpStatus.FORBIDDEN, "forbidden", "The token lacks the scope this operation needs", List.of()));
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e) {
        return respond(
                Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "A valid bearer token is required", List.of()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        RequestBodyTooLargeException tooLarge = tooLarge(e);
        if (tooLarge != null) {
            return respond(RequestBodyLimitFilter.problem(tooLarge.limit()));
        }
        if (AwsAvailability.isOutage(e)) {
            request.setAttribute(AwsAvailabilityInterceptor.OUTAGE, e);
            log.warn("AWS is out of reach: {}", e.toString());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(
                            HttpHeaders.RETRY_AFTER,
                            Long.toString(AwsAvailability.retryAfter(e).toSeconds()))
                    .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                    .body(Problems.of(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "aws-unavailable",
                            "AWS cannot be reached just now; try again later",
                            List.of()));
        }
        log.error("Unexpected error", e);
        return respond(Problems.of(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal",
                "The connector failed to handle the request; the error is in its log",
                List.of()));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest().body(invalid(fieldProblems(e.getBindingResult())));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors()
                    .forEach(error -> errors.add(new FieldProblem(
                            name == null ? "request" : name, String.valueOf(error.getDefaultMessage()))));
        });
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestBodyTooLargeException tooLarge = tooLarge(e);
        if (tooLarge != null) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(RequestBodyLimitFilter.problem(tooLarge.limit()));
        }
        return ResponseEntity.badRequest()
                .body(Problems.of(
                        HttpStatus.BAD_REQUEST,
                        "malformed-body",
                        "The request body is not valid JSON for this operation",
                        List.of()));
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(
            @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null
                        || "about:blank".equals(problem.getType().toString()))) {
            problem.setType(java.net.URI.create(Problems.TYPE_PREFIX + slug(statusCode)));
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static ProblemDetail invalid(List<FieldProblem> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " fields are invalid";
        return Problems.of(HttpStatus.BAD_REQUEST, "invalid-input", detail, errors);
    }

    private static List<FieldProblem> fieldProblems(BindingResult result) {
        List<FieldProblem> errors = new ArrayList<>();
        result.getFieldErrors()
                .forEach(f -> errors.add(new FieldProblem(f.getField(), String.valueOf(f.getDefaultMessage()))));
        result.getGlobalErrors()
                .forEach(g -> errors.add(new FieldProblem(g.getObjectName(), String.valueOf(g.getDefaultMessage()))));
        errors.sort(java.util.Comparator.comparing(FieldProblem::field));
        return errors;
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleNoHandlerFoundException(
            org.springframework.web.servlet.NoHandlerFoundException e,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return noEndpoint(e.getHttpMethod(), e.getRequestURL());
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(
            org.springframework.web.servlet.resource.NoResourceFoundException e,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return noEndpoint(e.getHttpMethod(), "/" + e.getResourcePath());
    }

    private static ResponseEntity<Object> noEndpoint(Object method, String path) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(Problems.of(
                        HttpStatus.NOT_FOUND,
                        "not-found",
                        "No endpoint " + method + " " + Problems.echo(path),
                        List.of()));
    }

    /** The body-too-large failure {@code e} is, or was caused by, if any. */
    private static @Nullable RequestBodyTooLargeException tooLarge(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RequestBodyTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static String slug(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null
                ? Integer.toString(status.value())
                : known.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
