package io.cloudconnector.common.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Caps the Server-Sent-Events streams a service keeps open ({@code connector.limits.max-open-streams}): a streaming
 * endpoint (one that produces {@code text/event-stream} or returns an emitter) takes a permit before it starts and
 * gives it back when the stream ends; past the cap the answer is 429 problem JSON with {@code Retry-After}
 * ({@link TooManyStreamsException}).
 */
public final class OpenStreamLimiter implements AsyncHandlerInterceptor {

    private static final String HELD = OpenStreamLimiter.class.getName() + ".held";

    private final int max;
    private final Semaphore permits;

    public OpenStreamLimiter(int max) {
        this.max = max;
        this.permits = new Semaphore(max);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getAttribute(HELD) != null || !(handler instanceof HandlerMethod method) || !streams(method)) {
            return true;
        }
        if (!permits.tryAcquire()) {
            throw new TooManyStreamsException(max);
        }
        request.setAttribute(HELD, Boolean.TRUE);
        return true;
    }

    @Override
    public void afterCompletion(
            HttpServletRequest request, HttpServletResponse response, Object handler, @Nullable Exception ex) {
        // Called once the stream ended: at the end of the request, or of the async dispatch that ends an emitter.
        if (request.getAttribute(HELD) == Boolean.TRUE) {
            request.setAttribute(HELD, Boolean.FALSE);
            permits.release();
        }
    }

    /** How many streams are open now. */
    public int open() {
        return max - permits.availablePermits();
    }

    /** Whether {@code method} answers with a stream of events. */
    static boolean streams(HandlerMethod method) {
        if (ResponseBodyEmitter.class.isAssignableFrom(method.getMethod().getReturnType())) {
            return true;
        }
        RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), RequestMapping.class);
        return mapping != null
                && Arrays.stream(mapping.produces())
                        .filter(type -> !type.startsWith("!"))
                        .anyMatch(type -> MediaType.TEXT_EVENT_STREAM.isCompatibleWith(MediaType.parseMediaType(type)));
    }
}
