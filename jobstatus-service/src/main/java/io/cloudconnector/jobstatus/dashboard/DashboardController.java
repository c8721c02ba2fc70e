package io.cloudconnector.jobstatus.dashboard;

import io.cloudconnector.common.security.PublicEndpoint;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the dashboard's three static files without a token ({@code connector.security.public-paths}):
 * they hold no data; the page asks the operator for a token and sends it with every API call. The
 * services serve no static files otherwise, hence the explicit mappings.
 */
@Hidden
@RestController
class DashboardController {

    /**
     * Only this page's own files and API calls, nothing inline: a job field that carried markup
     * could not run as script even if the page showed it as HTML.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final String NO_DATA = "the dashboard's static shell; its data calls carry the operator's token";

    private static final MediaType JAVASCRIPT =
            new MediaType("text", "javascript", java.nio.charset.StandardCharsets.UTF_8);
    private static final MediaType CSS = new MediaType("text", "css", java.nio.charset.StandardCharsets.UTF_8);

    @GetMapping("/")
    @PublicEndpoint(NO_DATA)
    ResponseEntity<Resource> page() {
        return file("index.html", new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8));
    }

    @GetMapping("/dashboard.js")
    @PublicEndpoint(NO_DATA)
    ResponseEntity<Resource> script() {
        return file("dashboard.js", JAVASCRIPT);
    }

    @GetMapping("/dashboard.css")
    @PublicEndpoint(NO_DATA)
    ResponseEntity<Resource> styles() {
        return file("dashboard.css", CSS);
    }

    private static ResponseEntity<Resource> file(String name, MediaType type) {
        return ResponseEntity.ok()
                .contentType(type)
                // Revalidated on every load, so that an upgraded service never runs with an old script.
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .body(new ClassPathResource("dashboard/" + name));
    }
}
