package io.cloudconnector.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** Errors raised before any controller runs are problem JSON too. */
class ProblemResponsesTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theErrorDispatchIsAProblemWithTheErrorsStatus() {
        var request = new MockHttpServletRequest("GET", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 400);

        var answer = new ProblemErrorController().error(request);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        var problem = answer.getBody();
        assertThat(problem).isNotNull();
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getType()).hasToString("urn:cloudconnector:problem:bad-request");
        assertThat(problem.getTitle()).isEqualTo("Bad Request");
    }

    @Test
    void anErrorDispatchWithoutAnErrorStatusIsAnInternalProblem() {
        var request = new MockHttpServletRequest("GET", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 200);

        var answer = new ProblemErrorController().error(request);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(answer.getBody()).isNotNull();
        assertThat(answer.getBody().getType()).hasToString("urn:cloudconnector:problem:internal");
    }

    @Test
    void theErrorPathAskedForDirectlyIsNotFound() {
        var answer = new ProblemErrorController().error(new MockHttpServletRequest("GET", "/error"));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(answer.getBody()).isNotNull();
        assertThat(answer.getBody().getStatus()).isEqualTo(404);
    }

    @Test
    void aWildcardContentTypeIsA415ProblemNamingIt() throws Exception {
        for (String type : new String[] {"*/*", "application/*"}) {
            var request = new MockHttpServletRequest("POST", "/v1/things");
            request.setContentType(type);
            request.setContent("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            var response = new MockHttpServletResponse();
            var chain = new MockFilterChain();

            new MediaTypeFilter(JSON).doFilter(request, response, chain);

            assertThat(chain.getRequest()).as(type).isNull();
            assertThat(response.getStatus()).isEqualTo(415);
            assertThat(response.getContentType()).isEqualTo("application/problem+json");
            var body = JSON.readTree(response.getContentAsString());
            assertThat(body.path("status").asInt()).isEqualTo(415);
            assertThat(body.path("title").asString()).isEqualTo("Unsupported Media Type");
            assertThat(body.path("errors").get(0).path("field").asString()).isEqualTo("Content-Type");
        }
    }

    @Test
    void anAcceptWithoutJsonIsA406ProblemNamingIt() throws Exception {
        var request = new MockHttpServletRequest("POST", "/v1/integrity/checks");
        request.addHeader("Accept", "application/xml, text/html");
        var response = new MockHttpServletResponse();
        var chain = new MockFilterChain();

        new MediaTypeFilter(JSON).doFilter(request, response, chain);

        assertThat(chain.getRequest()).isNull();
        assertThat(response.getStatus()).isEqualTo(406);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        var body = JSON.readTree(response.getContentAsString());
        assertThat(body.path("status").asInt()).isEqualTo(406);
        assertThat(body.path("errors").get(0).path("field").asString()).isEqualTo("Accept");
    }

    @Test
    void anAcceptAdmittingJsonOrEventsGoesOnAndPagesOutsideTheApiAreNotChecked() throws Exception {
        String[][] cases = {
            {"/v1/vaults", "application/json"},
            {"/v1/vaults", "text/html, */*;q=0.8"},
            {"/v1/vaults", "application/*"},
            {"/v1/jobs/events", "text/event-stream"},
            {"/v1/vaults", "application/problem+json"},
            {"/", "text/html"},
        };
        for (String[] c : cases) {
            var request = new MockHttpServletRequest("GET", c[0]);
            request.addHeader("Accept", c[1]);
            var chain = new MockFilterChain();

            new MediaTypeFilter(JSON).doFilter(request, new MockHttpServletResponse(), chain);

            assertThat(chain.getRequest()).as(c[0] + " " + c[1]).isSameAs(request);
        }
    }

    @Test
    void aNamedOrMissingContentTypeGoesOn() throws Exception {
        for (String type : new String[] {"application/json", "text/plain", "not a type", ""}) {
            var request = new MockHttpServletRequest("POST", "/v1/things");
            if (!type.isEmpty()) {
                request.setContentType(type);
            }
            var chain = new MockFilterChain();

            new MediaTypeFilter(JSON).doFilter(request, new MockHttpServletResponse(), chain);

            assertThat(chain.getRequest()).as(type).isSameAs(request);
        }
    }
}
