package io.cloudconnector.jobstatus.job;

import io.cloudconnector.common.id.IdKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/jobs}: every job of the connector, newest first. */
@RestController
@RequestMapping("/v1/jobs")
class JobController {

    private final JobRepository jobs;

    JobController(JobRepository jobs) {
        this.jobs = jobs;
    }

    @GetMapping
    @RequiresScope(Scopes.JOBS_READ)
    Page<Job> list(@RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        return jobs.list(PageRequest.of(limit, pageToken));
    }

    @GetMapping("/{id}")
    @RequiresScope(Scopes.JOBS_READ)
    Job get(@PathVariable String id) {
        if (!Ids.isValid(IdKind.JOB, id)) {
            throw new NotFoundException("Job", id);
        }
        return jobs.find(id).orElseThrow(() -> new NotFoundException("Job", id));
    }
}
