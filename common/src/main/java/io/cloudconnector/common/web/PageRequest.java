package io.cloudconnector.common.web;

import org.jspecify.annotations.Nullable;

/**
 * A list request's {@code limit} (default 50, at most 500) and opaque {@code pageToken}; out-of-range
 * values are refused as invalid input naming the parameter.
 */
public record PageRequest(int limit, @Nullable String pageToken) {

    /** The page size when a request names none. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest page a request may ask for. */
    public static final int MAX_LIMIT = 500;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (pageToken != null && pageToken.isBlank()) {
            pageToken = null;
        }
    }

    /** From the query parameters; a missing limit is the default. */
    public static PageRequest of(@Nullable Integer limit, @Nullable String pageToken) {
        return new PageRequest(limit == null ? DEFAULT_LIMIT : limit, pageToken);
    }
}
