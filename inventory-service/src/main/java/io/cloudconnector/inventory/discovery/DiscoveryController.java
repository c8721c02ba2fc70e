package io.cloudconnector.inventory.discovery;

import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.InvalidInputException;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/assets:discover}: starts a full discovery job; its progress is in the job-status service. */
@RestController
class DiscoveryController {

    /** The answer: the job to follow. */
    record DiscoveryStarted(String jobId) {
    }

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Set on an answer that repeats the one given to an earlier request with the same key. */
    static final String REPLAYED = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 255;

    private final DiscoveryJobs jobs;

    DiscoveryController(DiscoveryJobs jobs) {
        this.jobs = jobs;
    }

    @PostMapping("/v1/assets:discover")
    @RequiresScope(Scopes.ASSETS_WRITE)
    ResponseEntity<DiscoveryStarted> discover(
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
            @RequestBody(required = false) @Nullable DiscoverRequest request) {
        var types = (request == null ? new DiscoverRequest(null) : request).assetTypes();
        var accepted = jobs.start(types, validKey(idempotencyKey));
        var answer = ResponseEntity.accepted().location(URI.create("/v1/jobs/" + accepted.jobId()));
        if (accepted.replayed()) {
            answer.header(REPLAYED, "true");
        }
        return answer.body(new DiscoveryStarted(accepted.jobId()));
    }

    private static @Nullable String validKey(@Nullable String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidInputException(IDEMPOTENCY_KEY, "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
        }
        return key;
    }
}
