package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.integrity.job.IdempotencyKeys;
import jakarta.validation.Valid;
import java.net.URI;
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
    ResponseEntity<ScanAccepted> scan(@Valid @RequestBody ScanRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
        IdempotencyKeys.validate(idempotencyKey);
        var accepted = jobs.request(request.recoveryPointId(), idempotencyKey);
        return ResponseEntity.accepted().location(URI.create("/v1/jobs/" + accepted.jobId())).body(accepted);
    }
}
