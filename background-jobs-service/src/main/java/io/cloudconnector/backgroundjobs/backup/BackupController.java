package io.cloudconnector.backgroundjobs.backup;

import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/backups}: the backup requests this connector accepted, newest first. */
@RestController
@RequestMapping("/v1/backups")
class BackupController {

    private final BackupRequestRepository requests;

    BackupController(BackupRequestRepository requests) {
        this.requests = requests;
    }

    @GetMapping
    @RequiresScope(Scopes.JOBS_READ)
    Page<BackupRequest> list(@RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        return requests.list(PageRequest.of(limit, pageToken));
    }
}
