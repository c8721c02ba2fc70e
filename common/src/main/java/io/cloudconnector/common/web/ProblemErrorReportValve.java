package io.cloudconnector.common.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report as problem JSON instead of its HTML page: it answers what Tomcat refuses itself before
 * the application sees the request (an undecodable or non-normalisable path, an encoded {@code /}, a request line
 * or header beyond its limits). Set on the host by {@link ProblemResponses}.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus status = ProblemErrorController.statusOf(code);
        String detail = status.is4xxClientError()
                ? "The request cannot be handled as sent"
                : "The connector failed to handle the request; the error is in its log";
        String json = "{\"type\":\"" + Problems.TYPE_PREFIX + ProblemErrorController.slug(status) + "\",\"title\":\""
                + status.getReasonPhrase() + "\",\"status\":" + status.value() + ",\"detail\":\"" + detail + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The connection is gone: nothing left to tell the client.
        }
    }
}
