package io.cloudconnector.common.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses, before any operation runs, the media types the API cannot handle:
 *
 * <ul>
 *   <li>a wildcard {@code Content-Type} ({@code * / *}, {@code application/*}): a 415 problem naming
 *       {@code Content-Type} (Spring MVC cannot read such a header and would fail with a 500);
 *   <li>on {@code /v1/**}, an {@code Accept} that admits neither JSON nor an event stream: a 406 problem naming
 *       {@code Accept}. Spring MVC only finds that out when it writes the answer, after the operation has run:
 *       a {@code POST} would have started its job and still answered 406.
 * </ul>
 *
 * Runs after security, so a request without a token still gets its 401 first.
 */
public class MediaTypeFilter extends OncePerRequestFilter {

    private static final List<MediaType> ANSWERS =
            List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON, MediaType.TEXT_EVENT_STREAM);

    private final JsonMapper json;

    public MediaTypeFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType != null && isWildcard(contentType)) {
            refuse(
                    response,
                    Problems.of(
                            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                            "unsupported-media-type",
                            "Content-Type: a request body must name its media type (application/json)",
                            List.of(new FieldProblem("Content-Type", "must not be a wildcard"))));
            return;
        }
        if (request.getRequestURI().startsWith("/v1/") && !acceptsAnAnswer(request.getHeader(HttpHeaders.ACCEPT))) {
            refuse(
                    response,
                    Problems.of(
                            HttpStatus.NOT_ACCEPTABLE,
                            "not-acceptable",
                            "Accept: the API answers application/json (or text/event-stream for event streams)",
                            List.of(new FieldProblem("Accept", "must admit application/json"))));
            return;
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), Problems.asMap(problem));
    }

    private static boolean isWildcard(String header) {
        try {
            MediaType type = MediaType.parseMediaType(header);
            return type.isWildcardType() || type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            // Spring MVC answers an unparseable type with a 415 problem itself.
            return false;
        }
    }

    private static boolean acceptsAnAnswer(@Nullable String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        try {
            for (MediaType wanted : MediaType.parseMediaTypes(accept)) {
                for (MediaType answer : ANSWERS) {
                    if (wanted.isCompatibleWith(answer)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (InvalidMediaTypeException e) {
            // Spring MVC answers an unparseable Accept itself, before the operation runs.
            return true;
        }
    }
}
