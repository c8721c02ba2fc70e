package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/scans}: scan a recovery point; 202 with the job, which the job-status service shows. */
@RestController
class ScanController {

    private final ScanJobs jobs;

    ScanController(ScanJobs jobs) {
        this.jobs = jobs;
    }

    @PostMapping("/v1/scans")
    @RequiresScope(Scopes.INTEGRITY_WRITE)
    ResponseEntity<ScanAccepted> scan(
            @Valid @RequestBody ScanRequest request,
            @RequestHeader(name = Idempotency.KEY_HEADER, required = false) @Nullable String idempotencyKey) {
        return jobs.request(request, Idempotency.checkKey(idempotencyKey));
    }
}
