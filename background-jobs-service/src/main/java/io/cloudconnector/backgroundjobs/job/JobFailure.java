package io.cloudconnector.backgroundjobs.job;

/**
 * A job cannot succeed for a reason worth telling the tenant as is; {@code code} is stable and machine-readable
 * (it becomes {@code JobFailed.code}), the message says what happened.
 */
public class JobFailure extends RuntimeException {

    private final String code;

    public JobFailure(String code, String message) {
        super(message);
        this.code = code;
    }

    public JobFailure(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The failure's code, e.g. {@code asset-not-found}. */
    public String code() {
        return code;
    }

    /** The message given at construction, never null. */
    @Override
    public String getMessage() {
        return java.util.Objects.requireNonNull(super.getMessage());
    }
}
