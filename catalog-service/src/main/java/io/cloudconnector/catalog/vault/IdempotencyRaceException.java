package io.cloudconnector.catalog.vault;

/** Another request with the same idempotency key was stored first; the caller answers as for a retry. */
final class IdempotencyRaceException extends RuntimeException {

    IdempotencyRaceException() {
        super("A request with the same idempotency key was stored first");
    }
}
