package io.cloudconnector.jobstatus.job;

import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/jobs}: every job of the connector, its live progress, and cancelling it. */
@RestController
@RequestMapping("/v1/jobs")
class JobController {

    private final JobService jobs;
    private final JobEventStreams streams;

    JobController(JobService jobs, JobEventStreams streams) {
        this.jobs = jobs;
        this.streams = streams;
    }

    @GetMapping
    @RequiresScope(Scopes.JOBS_READ)
    Page<Job> list(
            @RequestParam(required = false) @Nullable String state,
            @RequestParam(required = false) @Nullable String kind,
            @RequestParam(required = false) @Nullable String vaultId,
            @RequestParam(required = false) @Nullable String assetId,
            @RequestParam(required = false) @Nullable String policyId,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable String limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        return jobs.list(JobFilter.parse(state, kind, vaultId, assetId, policyId, from, to, limit, pageToken));
    }

    @GetMapping("/{id}")
    @RequiresScope(Scopes.JOBS_READ)
    Job get(@PathVariable String id) {
        return jobs.find(id).orElseThrow(() -> new NotFoundException("Job", id));
    }

    @PostMapping("/{id}/cancel")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(Scopes.JOBS_WRITE)
    Job cancel(@PathVariable String id) {
        return jobs.requestCancel(id);
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @RequiresScope(Scopes.JOBS_READ)
    void events(
            @PathVariable String id,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
            HttpServletResponse response)
            throws IOException {
        streams.streamJob(id, lastEventId, response);
    }

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @RequiresScope(Scopes.JOBS_READ)
    void allEvents(HttpServletResponse response) throws IOException {
        streams.streamAll(response);
    }
}
