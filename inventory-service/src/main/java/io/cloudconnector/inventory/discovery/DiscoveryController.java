package io.cloudconnector.inventory.discovery;

import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/assets:discover}: starts a full discovery job; its progress is in the job-status service. */
@RestController
class DiscoveryController {

    private final DiscoveryJobs jobs;

    DiscoveryController(DiscoveryJobs jobs) {
        this.jobs = jobs;
    }

    @PostMapping("/v1/assets:discover")
    @RequiresScope(Scopes.ASSETS_WRITE)
    ResponseEntity<DiscoveryJobs.DiscoveryStarted> discover(
            @RequestHeader(name = Idempotency.KEY_HEADER, required = false) @Nullable String idempotencyKey,
            @RequestBody(required = false) @Nullable DiscoverRequest request) {
        String key = Idempotency.checkKey(idempotencyKey);
        var types = (request == null ? new DiscoverRequest(null) : request).assetTypes();
        return jobs.start(types, key);
    }
}
