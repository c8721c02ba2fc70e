package io.cloudconnector.common.security;

import io.cloudconnector.common.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers security failures with problem JSON: 401 (with an RFC 6750 {@code WWW-Authenticate}) when the
 * token is missing, expired, badly signed or for another audience; 403 when it lacks the scope.
 */
public final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final JsonMapper json;

    public ProblemSecurityHandlers(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        // A token that was given but failed (bad signature, expired, wrong audience) is an OAuth2 error;
        // no token at all reaches here as an InsufficientAuthenticationException.
        boolean tokenGiven = e instanceof OAuth2AuthenticationException;
        String detail = tokenGiven ? "The bearer token is invalid: " + e.getMessage() : "A bearer token is required";
        response.setHeader(
                HttpHeaders.WWW_AUTHENTICATE,
                tokenGiven
                        ? "Bearer error=\"invalid_token\", error_description=\"" + quoteSafe(e.getMessage()) + "\""
                        : "Bearer");
        write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", detail, List.of()));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
        write(
                response,
                Problems.of(
                        HttpStatus.FORBIDDEN,
                        "forbidden",
                        "The token lacks the scope this operation needs",
                        List.of()));
    }

    private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), Problems.asMap(problem));
    }

    private static String quoteSafe(@org.jspecify.annotations.Nullable String message) {
        return message == null ? "" : message.replace('"', '\'').replaceAll("[\\r\\n]", " ");
    }
}
