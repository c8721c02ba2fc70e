package io.cloudconnector.common.web;

/** The service already keeps as many event streams open as it may: 429 problem JSON with {@code Retry-After}. */
public final class TooManyStreamsException extends RuntimeException {

    /** What a refused client is told to wait before it tries again, in seconds. */
    public static final long RETRY_AFTER_SECONDS = 5;

    public TooManyStreamsException(int max) {
        super("This service already has the " + max + " event streams open that it allows; try again later");
    }
}
