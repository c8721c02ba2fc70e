package io.cloudconnector.integrity.check;

import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
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
    ResponseEntity<CheckJobs.CheckAccepted> run(
            @RequestHeader(name = Idempotency.KEY_HEADER, required = false) @Nullable String idempotencyKey) {
        return jobs.request(Idempotency.checkKey(idempotencyKey));
    }
}
