package io.cloudconnector.integrity.job;

import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * {@code Idempotency-Key} of the POSTs that start jobs: {@code IDEMPOTENCY#<scope>#<key>} items kept a day,
 * holding a digest of the request and the job it started. Same key and request: the same job; same key,
 * other request: 409 naming the header.
 */
@Component
public class IdempotencyKeys {

    private static final Duration RETENTION = Duration.ofDays(1);
    private static final String SK = "IDEMPOTENCY";

    private final ServiceTable table;
    private final Clock clock;

    IdempotencyKeys(ServiceTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** Refuses a key no client should send. */
    public static void validate(@Nullable String key) {
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw new InvalidInputException("Idempotency-Key", "must be 1 to 200 characters");
        }
    }

    /**
     * The job an earlier request with this key started, if any, checked before anything else so that a key
     * reused for another request is a 409 whatever else is wrong with it.
     */
    public Optional<String> earlier(String scope, @Nullable String key, String request) {
        if (key == null) {
            return Optional.empty();
        }
        return table.get("IDEMPOTENCY#" + scope + "#" + key, SK).map(existing -> {
            if (!request.equals(Items.string(existing, "request"))) {
                throw new ConflictException("Idempotency-Key", "this key was used for a different request");
            }
            return Items.string(existing, "jobId");
        });
    }

    /**
     * Claims {@code key} for a request that would start {@code jobId}; returns the job an earlier request with
     * the same key started, or empty if this one is the first. A different request under the key is a 409.
     */
    public Optional<String> claim(String scope, String key, String request, String jobId) {
        var pk = "IDEMPOTENCY#" + scope + "#" + key;
        var item = ServiceTable.item(pk, SK);
        item.put("request", ServiceTable.s(request));
        item.put("jobId", ServiceTable.s(jobId));
        item.put(ServiceTable.EXPIRES_AT, ServiceTable.n(clock.instant().plus(RETENTION).getEpochSecond()));
        if (table.putIfAbsent(item)) {
            return Optional.empty();
        }
        var existing = table.get(pk, SK).orElseThrow(() -> new IllegalStateException("Idempotency item " + pk + " vanished"));
        if (!request.equals(Items.string(existing, "request"))) {
            throw new ConflictException("Idempotency-Key", "this key was used for a different request");
        }
        return Optional.of(Items.string(existing, "jobId"));
    }
}
