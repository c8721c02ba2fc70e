package io.cloudconnector.scalez.source;

import io.cloudconnector.scalez.ScalezException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Calls to the EBS direct APIs with the retries AWS asks for ("retry 5xx, ThrottlingException and
 * RequestThrottledException"), plus broken connections and checksum mismatches; everything else (a refused,
 * invalid or missing snapshot) fails at once. Shared by {@link EbsSnapshotSource} and the EBS snapshot sink.
 */
public final class EbsCalls {

    private static final Set<String> RETRYABLE_CODES = Set.of(
            "ThrottlingException",
            "RequestThrottledException",
            "InternalServerException",
            "ConcurrentLimitExceededException",
            "ServiceUnavailable");

    private EbsCalls() {}

    /**
     * Runs {@code call}, trying again as {@code options} allow when the failure is worth repeating.
     *
     * @param what names the call in the error, e.g. {@code "read block 7 of snap-0a1"}
     */
    public static <T> T call(String what, EbsTransferOptions options, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            RuntimeException failure;
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!retryable(e) || attempt >= options.maxAttempts()) {
                    throw new ScalezException(
                            "Cannot " + what + (attempt > 1 ? " after " + attempt + " attempts" : "") + ": "
                                    + e.getMessage(),
                            e);
                }
                failure = e;
            }
            try {
                options.pause().pause(options.delayBefore(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                var interrupted = new ScalezException("Interrupted while retrying to " + what, e);
                interrupted.addSuppressed(failure);
                throw interrupted;
            }
        }
    }

    /** Whether trying again can help. */
    static boolean retryable(RuntimeException e) {
        if (e instanceof ChecksumMismatchException) {
            return true;
        }
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null
                    ? null
                    : service.awsErrorDetails().errorCode();
            return service.isThrottlingException()
                    || service.statusCode() >= 500
                    || service.statusCode() == 429
                    || code != null && RETRYABLE_CODES.contains(code);
        }
        // Timeouts and broken connections; an interrupt is a request to stop, not a fault.
        return e instanceof SdkClientException && !Thread.currentThread().isInterrupted();
    }

    /** The Base64 SHA-256 of {@code length} bytes of {@code data}: the EBS block checksum. */
    public static String sha256Base64(byte[] data, int length) {
        return Base64.getEncoder().encodeToString(sha256(data, length));
    }

    /** The raw SHA-256 of {@code length} bytes of {@code data}. */
    public static byte[] sha256(byte[] data, int length) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** EBS sent bytes that do not match the checksum it sent with them: in transit damage, worth a retry. */
    static final class ChecksumMismatchException extends ScalezException {

        ChecksumMismatchException(String message) {
            super(message);
        }
    }
}
