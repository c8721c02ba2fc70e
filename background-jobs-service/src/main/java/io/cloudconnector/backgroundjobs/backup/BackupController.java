package io.cloudconnector.backgroundjobs.backup;

import io.cloudconnector.backgroundjobs.job.JobAdmission;
import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/backups}: start a backup; the backup requests this connector accepted, newest first. */
@RestController
@RequestMapping("/v1/backups")
class BackupController {

    private final BackupRequestRepository requests;
    private final BackupService backups;

    BackupController(BackupRequestRepository requests, BackupService backups) {
        this.requests = requests;
        this.backups = backups;
    }

    @PostMapping
    @RequiresScope(Scopes.BACKUPS_WRITE)
    ResponseEntity<JobAdmission.JobAccepted> start(
            @Valid @RequestBody CreateBackupRequest request,
            @RequestHeader(name = Idempotency.KEY_HEADER, required = false) @Nullable String idempotencyKey) {
        return backups.start(request, Idempotency.checkKey(idempotencyKey));
    }

    @GetMapping
    @RequiresScope(Scopes.JOBS_READ)
    Page<BackupRequest> list(
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        return requests.list(PageRequest.of(limit, pageToken));
    }
}
