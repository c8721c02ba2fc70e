package io.cloudconnector.integrity.check;

import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.integrity.job.IdempotencyKeys;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/integrity/checks}: run the account checks now; 202 with the job. */
@RestController
class CheckController {

    private final CheckJobs jobs;

    CheckController(CheckJobs jobs) {
        this.jobs = jobs;
    }

    @PostMapping("/v1/integrity/checks")
    @RequiresScope(Scopes.INTEGRITY_WRITE)
    ResponseEntity<Map<String, String>> run(
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
        IdempotencyKeys.validate(idempotencyKey);
        String jobId = jobs.start(idempotencyKey);
        return ResponseEntity.accepted().location(URI.create("/v1/jobs/" + jobId)).body(Map.of("jobId", jobId));
    }
}
