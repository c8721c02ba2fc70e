package io.cloudconnector.backgroundjobs.restoretest;

import io.cloudconnector.backgroundjobs.job.JobAdmission;
import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/restore-tests}: start a restore test of a recovery point; the job is followed in jobstatus. */
@RestController
@RequestMapping("/v1/restore-tests")
class RestoreTestController {

    private final RestoreTestService tests;

    RestoreTestController(RestoreTestService tests) {
        this.tests = tests;
    }

    @PostMapping
    @RequiresScope(Scopes.RESTORES_WRITE)
    ResponseEntity<JobAdmission.JobAccepted> start(
            @Valid @RequestBody CreateRestoreTestRequest request,
            @RequestHeader(name = Idempotency.KEY_HEADER, required = false) @Nullable String idempotencyKey) {
        return tests.start(request, Idempotency.checkKey(idempotencyKey));
    }
}
