package io.cloudconnector.common.resilience;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.AsyncHandlerInterceptor;

/**
 * Puts every API request through {@link AwsAvailability}: refused at once while the breaker is open, recorded when
 * it ends. {@code ProblemDetailsAdvice} marks a request that failed for an AWS outage with {@link #OUTAGE}, since
 * an exception it answered does not reach {@code afterCompletion}. A streaming request (SSE) counts as a success
 * once its stream started.
 */
public final class AwsAvailabilityInterceptor implements AsyncHandlerInterceptor {

    /** The request attribute holding the exception of a request that found AWS out of reach. */
    public static final String OUTAGE = AwsAvailabilityInterceptor.class.getName() + ".outage";

    private static final String STARTED = AwsAvailabilityInterceptor.class.getName() + ".started";

    private final AwsAvailability availability;

    public AwsAvailabilityInterceptor(AwsAvailability availability) {
        this.availability = availability;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod && request.getAttribute(STARTED) == null) {
            availability.acquire();
            request.setAttribute(STARTED, System.nanoTime());
        }
        return true;
    }

    @Override
    public void afterConcurrentHandlingStarted(
            HttpServletRequest request, HttpServletResponse response, Object handler) {
        settle(request, null);
    }

    @Override
    public void afterCompletion(
            HttpServletRequest request, HttpServletResponse response, Object handler, @Nullable Exception ex) {
        var outage = request.getAttribute(OUTAGE);
        settle(request, outage instanceof Throwable t ? t : ex);
    }

    private void settle(HttpServletRequest request, @Nullable Throwable failure) {
        if (request.getAttribute(STARTED) instanceof Long started) {
            // Marked settled rather than removed: an async re-dispatch of the same request takes no second permit.
            request.setAttribute(STARTED, Boolean.TRUE);
            availability.record(started, failure);
        }
    }
}
